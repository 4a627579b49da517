// The check table of test/e2e/shipped.test.ts: for every command line of a ```sh block in README.md and
// docs/*.md, the exit code and output the installed package must give. A documented line without an
// entry here (or in NOT_RUN, with its reason) fails the suite, so new documentation comes with a check.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sampleRows } from '../../src/registry/sample.js';

/** What a check's hooks and substitutions see: its working directory, the installed bin, named values. */
export interface RunContext {
  dir: string;
  bin: string;
  /** `{name}` in a check's `run` lines is replaced by vars[name] (ports, keys, ids). */
  vars: Record<string, string>;
  /** The environment the documented lines run in (no DATABASE_URL: the embedded database): hooks use it too. */
  env: NodeJS.ProcessEnv;
}

export interface Check {
  /** Expected exit code of the line (default 0). */
  exit?: number;
  /** A fragment (or pattern) of stdout + stderr; for a background command, what it prints once ready. */
  out: string | RegExp;
  /** For curl lines: the HTTP status code. */
  status?: number;
  /** The concrete line(s) to run instead of the documented one (placeholders, synopsis lines). */
  run?: string | string[];
  /** Lines run before this one, each must exit 0 (steps the documentation describes in prose). */
  pre?: string[];
  /** Runs before the line (fixtures that depend on earlier lines' output). */
  before?: (ctx: RunContext) => void;
  /** 'server': run in the demo server's directory (its key in .chipwatch/demo-admin.key). */
  where?: 'server';
  /** A long-running command: started, `out` awaited; 'stop' ends it then, 'keep' at the end of its document. */
  background?: 'stop' | 'keep';
}

/** Documented lines the suite does not run, each with why. */
export const NOT_RUN: Record<string, string> = {
  'npm ci && npm start':
    'installs the checkout and starts the demo server: the suite installs the packed tarball and ' +
    'starts the same `chipwatch serve --demo` itself, and runs the HTTP examples against it',
  'npm test': 'the whole test suite, which contains this file',
  'npm run bench:estimate': 'a benchmark: minutes of CPU, needs the dev dependencies (Squiggle)',
  'npm run bench:verify': 'a benchmark: minutes of CPU, from the checkout only',
  'npm run bench:tlog': 'a benchmark: minutes of CPU, from the checkout only',
  'npm run bench:tiles': 'a benchmark: minutes of CPU, from the checkout only',
  'npm run bench:registry': 'a benchmark: minutes of CPU and a PostgreSQL server, from the checkout only',
  'npm run bench:screen': 'a benchmark: minutes of CPU, needs tsx (a dev dependency), from the checkout only',
};

const LANDMARK_READY = /"event": "listening"/;

/** A seizure of 2,400 H100s in 2024, for docs/intel.md's `intel import seizures.csv --kind case`. */
function writeSeizures(ctx: RunContext): void {
  const csv =
    'id,date,date_precision,kind,title,chip_model,quantity,quantity_unit,source_title,source_url\n' +
    'SZ-DOC-1,2024-05-14,day,seizure,Customs seize H100s bound for Shenzhen,NVIDIA H100,2400,gpu,' +
    'A press release,https://example.test/press\n';
  writeFileSync(join(ctx.dir, 'seizures.csv'), csv);
}

/**
 * A listing in Shenzhen of the first chip that the fixture filing.csv (sampleRows seed 7, March 2026) declares
 * at a Malaysian site, for docs/intel.md's `intel import listing.csv --kind listing`.
 */
function writeListing(ctx: RunContext): void {
  const my = sampleRows({ count: 150, seed: 7, month: '2026-03' }).find((r) => r.location_country === 'MY')!;
  const csv =
    'serial_number,seen_on,country,place,source_title,source_url,price_usd\n' +
    `${my.serial_number},2026-04-02,CN,Shenzhen,Marketplace listing,https://example.test/listing/1,31000\n`;
  writeFileSync(join(ctx.dir, 'listing.csv'), csv);
}

/**
 * Two companies and an ownership in FtM JSON lines, for docs/intel.md's `intel import partners.ftm.jsonl
 * --format ftm`: the same Hong Kong company twice (names spelled apart, one registration number written two
 * ways), so that resolution pairs them.
 */
function writePartners(ctx: RunContext): void {
  const lines = [
    {
      id: 'ex-co-1',
      schema: 'Company',
      properties: { name: ['Harbourline Trading Limited'], country: ['hk'], registrationNumber: ['HK-2871-1190'] },
    },
    {
      id: 'ex-co-2',
      schema: 'Company',
      properties: { name: ['HARBOURLINE TRADING LTD'], country: ['hk'], registrationNumber: ['hk 28711190'] },
    },
    {
      id: 'ex-own-1',
      schema: 'Ownership',
      properties: { owner: ['ex-co-1'], asset: ['ex-co-2'], percentage: ['100'] },
    },
  ];
  writeFileSync(join(ctx.dir, 'partners.ftm.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
}

/** The public key (SPKI DER, base64url) of a PEM private key file, as `verify keygen` prints it. */
export function publicKeyOf(pemFile: string): string {
  const spki = createPublicKey(createPrivateKey(readFileSync(pemFile))).export({ type: 'spki', format: 'der' });
  return spki.toString('base64url');
}

/**
 * An evidence bundle from the landmark the document started (its key lm.pem, running on {lmPort}):
 * asks it to measure GPU-1 through the installed bin, retrying while the agent is still connecting.
 */
function evidenceFromLandmark(ctx: RunContext): void {
  const lmPub = publicKeyOf(join(ctx.dir, 'lm.pem'));
  const kl = { id: 'kuala-lumpur', lat: 3.139, lon: 101.6869, publicKey: lmPub };
  for (let attempt = 0; ; attempt++) {
    const r = spawnSync(
      process.execPath,
      [
        ctx.bin,
        'verify',
        'measure',
        '--landmark',
        `127.0.0.1:${ctx.vars.lmPort}`,
        '--chip',
        `GPU-1=${ctx.vars.chipPub}`,
        '--rounds',
        '3',
      ],
      { cwd: ctx.dir, encoding: 'utf8', timeout: 30_000 },
    );
    // `verify measure` prints {batch, failures}: no batch (or a failure) while the agent is still connecting.
    const answer = r.status === 0 ? (JSON.parse(r.stdout) as { batch: unknown; failures: unknown[] }) : undefined;
    if (answer?.batch && answer.failures.length === 0) {
      writeFileSync(
        join(ctx.dir, 'records.json'),
        JSON.stringify({
          landmarks: [kl],
          chips: [{ serial: 'GPU-1', publicKey: ctx.vars.chipPub }],
          batches: [answer.batch],
        }),
      );
      writeFileSync(join(ctx.dir, 'directory.json'), JSON.stringify([kl]));
      return;
    }
    if (attempt === 20) throw new Error(`verify measure against the landmark failed: ${r.stderr}${r.stdout}`);
    spawnSync('sleep', ['0.5']);
  }
}

const setLmPub = (ctx: RunContext) => {
  ctx.vars.lmPub = publicKeyOf(join(ctx.dir, 'lm.pem'));
};

/** The other checklist items README's comment asks for before complete-vetting (profile.json is a reseller). */
const OTHER_CHECKS = [
  'sales-history',
  'key-personnel',
  'operating-history',
  'vouching-parties',
  'ear-red-flags',
  'end-use-statement',
  'reseller-audit',
].map((item) => `chipwatch cases act 1 check --item ${item} --outcome ok --reason ok`);

/** docs/screening.md's held case: owned.json, whose customer a listed party owns through a holding. */
function writeOwnedProfile(ctx: RunContext): void {
  const profile = {
    customer: {
      name: 'Bright Future Trading Sdn Bhd',
      country: 'MY',
      owners: [
        { name: 'Harbour Holdings Ltd', share: 60, owners: [{ name: 'Huawei Technologies Co., Ltd.', share: 60 }] },
        { name: 'Tan Ah Kow', share: 40 },
      ],
    },
    order: { endUse: 'AI training cluster', quantity: 8, shipToCountry: 'MY' },
  };
  writeFileSync(join(ctx.dir, 'owned.json'), JSON.stringify(profile));
}

const AUTH = '-H "Authorization: Bearer $KEY"';
const JSON_BODY = "-H 'content-type: application/json'";
const API = 'http://localhost:8080/api';

/** Documented line (comments stripped, whitespace collapsed) → its check. */
export const CHECKS: Record<string, Check> = {
  // README.md
  'npx chipwatch serve --port 8080': {
    out: /Server listening at http:\/\/127\.0\.0\.1:\d+/,
    background: 'stop',
    run: 'npx chipwatch serve --port {freePort}',
  },
  'npx chipwatch serve --host 0.0.0.0': {
    out: /"listening":"0\.0\.0\.0:\d+"/,
    background: 'stop',
    run: 'npx chipwatch serve --host 0.0.0.0 --port {freePort}',
  },
  'npx chipwatch keys create --role regulator': { out: /^cw_\S{20,}\n$/ },
  'npx chipwatch keys list': { out: /^ID\s+PREFIX\s+ROLE\s.*\n1\s+\S+\s+regulator\s/ },
  // Key 3 exists once two more keys are made (the line before made key 1).
  'npx chipwatch keys revoke 3': {
    out: /^revoked key 3\n$/,
    pre: ['chipwatch keys create --role analyst', 'chipwatch keys create --role auditor'],
  },
  'npx chipwatch estimate': { out: /smuggled[\s\S]*not shown/ },
  'npx chipwatch estimate -n 1000000 --threshold smuggled=100k --sensitivity': {
    out: /P\(smuggled > 100k\) = 0\.\d+[\s\S]*rho: Spearman/,
  },
  'npx chipwatch estimate --set "vendors=20 to 80" --plot smuggled.png --json': { out: /^\{[\s\S]*"smuggled"/ },
  'npx chipwatch estimate compare smuggling-2024 --scenario "crackdown:vendors=10 to 40"': { out: 'crackdown' },
  'npx chipwatch estimate enforcement-2026 --threshold fundedShare=1': { out: 'fundedShare' },
  'npx chipwatch estimate models': { out: /enforcement-2026[\s\S]*smuggling-2024/ },
  'chipwatch verify locate --observations cases.json --json': { out: /"verdict": "proven-outside"[\s\S]*"Feature"/ },
  'chipwatch verify plan --lat 3.139 --lon 101.6869': { out: /kuala-lumpur\s+0\s/ },
  'chipwatch verify keygen --out lm.pem': { out: /^[A-Za-z0-9_-]{40,}\n$/ },
  'chipwatch landmark --id kuala-lumpur --lat 3.139 --lon 101.6869 --key lm.pem --listen 0.0.0.0:7400 --calibrate': {
    out: LANDMARK_READY,
    background: 'keep',
    run:
      'chipwatch landmark --id kuala-lumpur --lat 3.139 --lon 101.6869 --key lm.pem --listen 127.0.0.1:{lmPort} ' +
      '--calibrate',
  },
  'chipwatch agent --serial GPU-1 --key chip.pem --landmark kuala-lumpur=HOST:7400': {
    out: /"event": "started"/,
    background: 'keep',
    run: 'chipwatch agent --serial GPU-1 --key chip.pem --landmark kuala-lumpur=127.0.0.1:{lmPort}',
  },
  'chipwatch verify check RECORDS.json --landmarks directory.json': {
    out: /records accepted, 0 rejected\nGPU-1: proven-outside/,
    before: evidenceFromLandmark,
    run: 'chipwatch verify check records.json --landmarks directory.json',
  },
  'chipwatch log checkpoint > cp.txt': {
    out: /^chipwatch\.dev\/registry-log\n\d+\n/,
    run: 'chipwatch log checkpoint > cp.txt && cat cp.txt',
  },
  'chipwatch log prove 17': { out: /17/ },
  // docs/transparency-log.md: tiles, a witness and a log on one machine, offline proofs.
  'chipwatch log tiles --out public/log': {
    pre: ['chipwatch registry import filing.csv --as Acme'],
    out: /^tree size 150: 2 tile\(s\) written[\s\S]*\ntile\/0\/000\.p\/150\n/,
    run: 'chipwatch log tiles --out public/log && cd public/log && find tile -type f | sort',
  },
  'chipwatch log vkey > log.vkey': {
    pre: ['chipwatch log checkpoint'],
    out: /^chipwatch\.dev\/registry-log\+[0-9a-f]{8}\+/,
    run: 'chipwatch log vkey > log.vkey && cat log.vkey',
  },
  'chipwatch witness keygen --name witness.example.org/w1 --out w1.key > w1.vkey': {
    out: /^witness\.example\.org\/w1\+[0-9a-f]{8}\+B/,
    run: 'chipwatch witness keygen --name witness.example.org/w1 --out w1.key > w1.vkey && cat w1.vkey',
  },
  'chipwatch witness --key w1.key --listen 127.0.0.1:7380 --log "$(cat log.vkey)"': {
    out: /listening on http:\/\/127\.0\.0\.1:\d+/,
    background: 'keep',
    run: 'chipwatch witness --key w1.key --listen 127.0.0.1:{lmPort} --log "$(cat log.vkey)"',
  },
  ['env CHIPWATCH_WITNESSES="http://127.0.0.1:7380=$(cat w1.vkey)" ' +
    'chipwatch registry import filing.csv --as Acme --receipt r.json']: {
    out: /filed filing 1: 150 items[\s\S]*proofs: checkpoint at tree size 150, cosigned by witness\.example\.org\/w1/,
    run:
      'export CHIPWATCH_WITNESSES="http://127.0.0.1:{lmPort}=$(cat w1.vkey)"; ' +
      'chipwatch registry import filing.csv --as Acme --receipt r.json',
  },
  'chipwatch log verify-proof r.json --vkey "$(cat log.vkey)" --witness-vkey "$(cat w1.vkey)"': {
    out: /^OK: 150 item\(s\) included in chipwatch\.dev\/registry-log at tree size 150[\s\S]*cosigned by witness\./,
  },
  'chipwatch log verify-proof receipt.json --vkey "$(cat log.vkey)"': {
    pre: ['chipwatch registry import filing.csv --as Acme --receipt receipt.json', 'chipwatch log vkey > log.vkey'],
    out: /^OK: 150 item\(s\) included[\s\S]*no witness cosignature checked/,
  },
  'chipwatch log verify --state auditor.txt': { out: /ok|consistent|verified/i },
  'chipwatch log verify --server https://HOST --key AUDITOR_KEY --vkey "$(cat log.vkey)"': {
    out: /ok|consistent|verified/i,
    run: 'chipwatch log verify --server http://127.0.0.1:{port} --key "$(cat auditor.key)" --vkey "$(cat log.vkey)"',
  },
  'npx chipwatch registry template -o template.csv': {
    out: /^serial_number,/,
    run: 'npx chipwatch registry template -o template.csv && head -1 template.csv',
  },
  'npx chipwatch registry import filing.csv --as "Acme Exports Inc"': { out: /accepted|filing/i },
  'npx chipwatch registry history H100-0000001 --json': { out: /"serial": "H100-0000001"/ },
  // As of a day, only filings received by then count: the ones the suite files today do not.
  'npx chipwatch registry obligations --as-of 2026-06-30': { out: 'no reportable transfers as of 2026-06-30' },
  // The suite's earlier filing (for `log prove 17`) recorded other owners for the same serials.
  'npx chipwatch registry flags': { out: /non_owner_transfer\s+H100-0000001/ },
  'npx chipwatch registry check': { out: /consistent/ },
  'npx chipwatch screen "Huawei Technologies Co Ltd" --country CN': { out: /^MATCH\s+Huawei Technologies Co Ltd/ },
  'npx chipwatch screen "华为技术有限公司" --json': {
    out: /"query": \{\s*"name": "华为技术有限公司"\s*\},\s*"decision": "match"/,
  },
  'npx chipwatch screen "Huawei Technologies Trading" --country CN': {
    out: /^REVIEW\s+Huawei Technologies Trading \(CN\)\n\s+0\.9\d+\s+CMIC\s+HUAWEI TECHNOLOGIES CO\., LTD\./,
  },
  'npx chipwatch screen "Rosoboroneksport"': {
    out: /^MATCH\s+Rosoboroneksport\n[\s\S]*other names: "ROSOBORONEXPORT JSC" 0\.9/,
  },
  'npx chipwatch screen "Концерн Калашников"': { out: /^MATCH\s+Концерн Калашников\n\s+1\.000\s+\w+\s+.*Kalashnikov/i },
  'npx chipwatch screen --file parties.csv --out results.csv': {
    out: /MATCH|match/,
    run: 'npx chipwatch screen --file parties.csv --out results.csv && cat results.csv',
  },
  'npx chipwatch lists update consolidated.csv sdn.csv alt.csv': { out: /added|removed|changed|unchanged/i },
  'npx chipwatch redflags profile.json': { out: /high/ },
  'npx chipwatch cases open profile.json --order --ref PO-77': { out: /case 1\b|"id": 1\b|#1\b/ },
  'npx chipwatch cases act 1 assess --risk high --reason "consignee on the Entity List"': { out: /enhanced-vetting/ },
  'npx chipwatch cases act 1 check --item site-visit --outcome concern --reason "no racks at the address"': {
    out: /site-visit|enhanced-vetting/,
  },
  'npx chipwatch cases act 1 complete-vetting --reason "checklist done"': { out: /mitigation/, pre: OTHER_CHECKS },
  'npx chipwatch cases act 1 decide --decision limit-quantity --max-quantity 32 --reason "..."': { out: /approved/ },
  'npx chipwatch cases act 1 ship --reason "AWB 123"': { out: /post-shipment/ },
  'npx chipwatch cases due --days 30': { out: /one-week/ },
  'npx chipwatch cases verify-due': { out: /verif/i },
  // README.md, a held case (case 2: a customer a listed party owns through a holding) released by a compliance-lead
  'npx chipwatch keys create --role compliance-lead --label "head of compliance" > lead.key': { out: '' },
  'npx chipwatch cases open owned.json': {
    out: /^case 2 [\s\S]*hit h1 match\s+owner "Huawei Technologies Co\., Ltd\."[\s\S]*hit h2 listed-by-ownership/,
    before: writeOwnedProfile,
  },
  'npx chipwatch cases act 2 override --hits h1,h2 --reason "BIS licence D123456" --key-file lead.key': {
    out: /hit h2 listed-by-ownership .* — overridden by key:\d+\/compliance-lead: "BIS licence D123456"/,
  },
  'npx chipwatch screen changes --since 2026-01-01': { out: /alerts/ },
  // README.md, HTTP examples (against the installed `chipwatch serve --demo`)
  'KEY=$(cat .chipwatch/demo-admin.key)': { out: '', where: 'server' },
  'curl http://localhost:8080/healthz': { status: 200, out: '"status":"ok"', where: 'server' },
  'curl http://localhost:8080/readyz': { status: 200, out: '"status":"ok"', where: 'server' },
  [`curl ${AUTH} ${JSON_BODY} -d '{"name": "Huawei Technologies Co Ltd", "country": "CN"}' ${API}/screen`]: {
    status: 200,
    out: '"decision":"match"',
    where: 'server',
  },
  [`curl ${AUTH} ${API}/screen/lists`]: { status: 200, out: '"active":{', where: 'server' },
  [`curl ${AUTH} ${JSON_BODY} -d @profile.json ${API}/redflags`]: {
    status: 200,
    out: '"suggestedRisk":"high"',
    where: 'server',
  },
  [`curl ${AUTH} ${JSON_BODY} -d '{"model": "smuggling-2024", "samples": 10000}' ${API}/estimate`]: {
    status: 200,
    out: '"smuggled":{',
    where: 'server',
  },
  [`curl ${AUTH} -H 'content-type: text/csv' --data-binary @filing.csv ` +
    `'${API}/registry/filings/upload?filer=Acme%20Exports%20Inc'`]: {
    status: 201,
    out: '"items":150',
    where: 'server',
  },
  [`curl ${AUTH} -X POST ${API}/log/checkpoint`]: { status: 201, out: '"treeSize":', where: 'server' },
  [`curl ${AUTH} '${API}/log/proof/inclusion?index=17'`]: { status: 200, out: '"index":17,', where: 'server' },
  [`curl ${AUTH} '${API}/log/proof/consistency?from=1'`]: { status: 200, out: '"from":1,', where: 'server' },
  [`curl ${AUTH} ${JSON_BODY} -d @cases.json ${API}/verify/locate`]: {
    status: 200,
    out: '"verdict":"proven-outside"',
    where: 'server',
  },

  // docs/estimate.md
  'npx chipwatch estimate --samples 1000000 --threshold smuggled=100k': { out: /P\(smuggled > 100k\) = 0\.\d+/ },
  'npx chipwatch estimate --sensitivity': { out: /rho: Spearman/ },
  'npx chipwatch estimate --set "vendors=20 to 80" --json': { out: /^\{[\s\S]*"smuggled"/ },
  'npx chipwatch estimate --plot smuggled.png --plot-output smuggled --plot-output pathway1': {
    out: /plot written to smuggled/,
  },
  'npx chipwatch estimate my-model.sq --csv samples.csv': {
    out: /^"total"\n/m,
    run: 'npx chipwatch estimate my-model.sq --csv samples.csv && head -1 samples.csv',
  },
  ['npx chipwatch estimate compare smuggling-2024 --scenario "crackdown:vendors=10 to 40" ' +
    '--scenario "no fronts:fronts=pointMass(0)"']: { out: /crackdown[\s\S]*no fronts|no fronts[\s\S]*crackdown/ },
  // docs/estimate.md and docs/intel.md, the evidence in the estimate: a fresh directory loads the study's seed,
  // which records no seizure in 2024; an imported one moves the estimate.
  'npx chipwatch estimate compare smuggling-2024 smuggling-evidence': {
    out: /smuggled p50 +140k +40\.2k[\s\S]*smuggling-evidence: inputs: seized_gpus_2024=0 · posterior/,
  },
  'npx chipwatch estimate smuggling-evidence --input seized_gpus_2024=20k': {
    out: /inputs: seized_gpus_2024=20000\nposterior by sampling-importance-resampling/,
  },
  // docs/intel.md, evidence and serial alerts: the seed loads on first use; the listing's serial is filed in MY.
  'npx chipwatch intel evidence list --kind indictment': {
    out: /^ACS-18 +2025-02-27 +indictment\n[\s\S]*source: Reuters/m,
  },
  'npx chipwatch intel evidence show ACS-12': { out: /^ACS-12 +2024 +news-investigation +8888 GPUs \(8888 H100e\)/ },
  'npx chipwatch intel import listing.csv --kind listing': {
    before: writeListing,
    out: /^1 listing item stored, 0 already stored unchanged\n1 alert raised: ALR-/,
  },
  'npx chipwatch intel alerts': {
    out: /seen-outside-declared-country +H100-\d{7} +\d+ +MY +LST-[0-9a-f]{16} \(CN\) +open/,
  },
  'npx chipwatch intel import seizures.csv --kind case': {
    before: writeSeizures,
    run: ['npx chipwatch intel import seizures.csv --kind case', 'npx chipwatch estimate smuggling-evidence'],
    out: /inputs: seized_gpus_2024=2400\n[\s\S]*smuggled +35\.\dk +\d/,
  },

  // docs/intel.md, entities and resolution: the FtM file holds one company twice; sync adds the registry's
  // parties and the shipped lists' 19,098 entries.
  'npx chipwatch intel import partners.ftm.jsonl --format ftm': {
    before: writePartners,
    out: /^imported 2 entities and 1 links\n/,
  },
  'npx chipwatch intel export --format ftm --out all.ftm.jsonl': {
    out: /^wrote \d+ FtM entities to all\.ftm\.jsonl\n/,
  },
  'npx chipwatch intel sync': {
    pre: ['npx chipwatch registry import filing.csv --as "Acme Exports Inc"'],
    out: /^synced [1-9]\d* registry parties, \d+ recorded owners \(\d+ ownership links, 0 replaced\) and 19098 /,
  },
  // Each block runs in a fresh directory: the resolution block imports the FtM file first, as the text says.
  'npx chipwatch intel candidates --entity ex-co-2': {
    before: writePartners,
    pre: ['npx chipwatch intel import partners.ftm.jsonl --format ftm'],
    out: new RegExp(
      '^\\d\\.\\d{3} +ex-co-1 Harbourline Trading Limited +~ +ex-co-2 HARBOURLINE TRADING LTD\\n' +
        '[\\s\\S]*same registration: HK28711190',
    ),
  },
  'npx chipwatch intel decide ex-co-1 ex-co-2 same --reason "same HK registration number"': {
    out: /^recorded decision \d+ +\S+ +same +ex-co-1 ex-co-2 +by cli:\S+: same HK registration number\n/,
  },
  'npx chipwatch intel decisions': { out: /^\d+ +\S+ +same +ex-co-1 ex-co-2 +by cli:\S+: same HK registration number/ },
  // docs/intel.md, networks, clusters, timelines and dossiers: ex-co-1 owns ex-co-2, shares its registration number
  // and is judged the same party (lines above); the seed names Super Micro Computer with Dell and NVIDIA.
  'npx chipwatch intel network ex-co-1 --hops 2': {
    before: writePartners,
    pre: [
      'npx chipwatch intel import partners.ftm.jsonl --format ftm',
      'npx chipwatch intel decide ex-co-1 ex-co-2 same --reason "same HK registration number"',
    ],
    out: new RegExp(
      '^2 entities, 3 links within 2 hops\\n[\\s\\S]*because: same-as decision \\d+\\n' +
        '[\\s\\S]*because: same registration: HK28711190',
    ),
  },
  'npx chipwatch intel path "Super Micro Computer" "Main Chain Ltd"': {
    out: /^2 steps \(unweighted: fewest links[\s\S]*Super Micro Computer → Dell Technologies[\s\S]*evidence ACS-12: /,
  },
  'npx chipwatch intel clusters --top 5': { out: /^\d+ candidate clusters; the top \d+:\n#1 {2}score \d+: / },
  'npx chipwatch intel network "Super Micro Computer" --format dot --out smci.dot': {
    run: 'npx chipwatch intel network "Super Micro Computer" --format dot --out smci.dot && head -1 smci.dot',
    out: /^wrote \d+ entities and \d+ links to smci\.dot\ndigraph network \{/,
  },
  'npx chipwatch intel timeline "Super Micro Computer"': {
    out: /^Super Micro Computer \(evidence-[0-9a-f]{20}\)\n {2}2024 {2}evidence: [\s\S]*source: evidence ACS-18: /,
  },
  'npx chipwatch intel dossier "Super Micro Computer" --out smci': {
    run: 'npx chipwatch intel dossier "Super Micro Computer" --out smci && grep -c "^[0-9]*\\. evidence ACS-" smci.md',
    out: /^wrote smci\.md and smci\.json: 5 events, 2 links, 6 sources\n5\n/,
  },

  // docs/screening.md
  'chipwatch lists update consolidated.csv': { out: /added|removed|changed|unchanged/i },
  'chipwatch lists update consolidated.csv sdn.csv alt.csv --json': { out: /^[[{]/ },
  'chipwatch lists show': { out: /^\* version 2 .* 19098 entries/ },
  'chipwatch screen changes --since 2026-01-01': {
    out: /^no alerts for known parties since 2026-01-01$|alerts since/m,
  },
  'chipwatch screen changes --since 2026-01-01 --json': { out: /^\{\s+"since": "2026-01-01",\s+"alerts": \[/ },
  // docs/screening.md, holds and overrides (a customer 60% owned by a holding 60% owned by a CMIC-listed party)
  'chipwatch keys create --role compliance --label "export officer" > officer.key': { out: '' },
  'chipwatch keys create --role compliance-lead --label "head of compliance" > lead.key': { out: '' },
  'chipwatch cases open owned.json --key-file officer.key': {
    out: /hit h1 match\s+owner "Huawei Technologies Co\., Ltd\."[\s\S]*hit h2 listed-by-ownership/,
    before: writeOwnedProfile,
  },
  'chipwatch cases act 1 assess --risk low --reason "long-standing customer" --key-file officer.key': {
    exit: 1,
    out: /cannot assess low risk .*held by h1 .*h2 customer "Bright Future Trading Sdn Bhd" listed-by-ownership/,
  },
  'chipwatch cases act 1 override --hits h1,h2 --reason "BIS licence D123456 covers it" --key-file lead.key': {
    out: /hit h2 listed-by-ownership .* — overridden by key:2\/compliance-lead: "BIS licence D123456/,
  },
  'chipwatch cases show 1': { out: /#2 \S+\s+key:2\/compliance-lead\s+override\s/ },
  'chipwatch screen --file parties.csv --json': { out: /^\[[\s\S]*"decision"/ },
  'chipwatch screen --file parties.csv --out results.csv': {
    out: /match/i,
    run: 'chipwatch screen --file parties.csv --out results.csv && cat results.csv',
  },

  // docs/verification.md (in order: keygen, landmark, agent, then the commands that need them)
  'chipwatch verify keygen --alg ed25519 --out lm.pem': { out: /^[A-Za-z0-9_-]{40,}\n$/ },
  'chipwatch agent --serial GPU-1 --key chip.pem --landmark kuala-lumpur=lm-kl.example:7400': {
    out: /"event": "started"/,
    background: 'keep',
    run: 'chipwatch agent --serial GPU-1 --key chip.pem --landmark kuala-lumpur=127.0.0.1:{lmPort}',
  },
  'chipwatch verify measure --landmark lm-kl.example:7400 --chip GPU-1=<publicKey> --rounds 5 > batch.json': {
    out: /"batch": \{[\s\S]*"failures": \[\]/,
    run:
      'chipwatch verify measure --landmark 127.0.0.1:{lmPort} --chip GPU-1={chipPub} --rounds 5 > batch.json ' +
      '&& cat batch.json',
  },
  'chipwatch verify check RECORDS.json [--landmarks DIRECTORY.json] [--json]': {
    out: /"verdict": "proven-outside"/,
    before: evidenceFromLandmark,
    run: [
      'chipwatch verify check records.json',
      'chipwatch verify check records.json --landmarks directory.json --json',
    ],
  },
  'chipwatch verify plan --lat 3.139 --lon 101.6869 [--landmarks FILE] [--restricted CN,HK,MO] [--json]': {
    out: /"landmarkId": "kuala-lumpur"/,
    run: [
      'chipwatch verify plan --lat 3.139 --lon 101.6869',
      'chipwatch verify plan --lat 3.139 --lon 101.6869 --landmarks sites.json --restricted CN,HK,MO --json',
    ],
  },
  'chipwatch verify locate --observations FILE [--json]': {
    out: /"verdict": "proven-outside"/,
    run: [
      'chipwatch verify locate --observations cases.json',
      'chipwatch verify locate --observations cases.json --json',
    ],
  },
  'chipwatch verify landmark-add|enrol|run|alerts ... [--data-dir DIR]': {
    out: /no alerts|GPU-1/,
    before: setLmPub,
    run: [
      'chipwatch verify landmark-add --id kuala-lumpur --lat 3.139 --lon 101.6869 --public-key {lmPub} ' +
        '--address 127.0.0.1:{lmPort}',
      'chipwatch verify enrol --serial GPU-1 --public-key {chipPub} --declared-lat 3.139 --declared-lon 101.6869',
      'chipwatch verify run --serial GPU-1 --rounds 3 --data-dir .chipwatch',
      'chipwatch verify alerts',
    ],
  },
  // docs/tips.md: an investigator's key, a tip, the reply and the receipt's follow-up, in order.
  'chipwatch tips keygen --out alice --passphrase-file alice.pass': {
    out: /wrote alice\.key \(keep it secret, passphrase-protected\) and alice\.pub/,
    before: (ctx) => writeFileSync(join(ctx.dir, 'alice.pass'), 'correct horse battery staple\n'),
  },
  'chipwatch tips recipients add alice.pub': { out: /added recipient alice \([0-9a-f]{4}(-[0-9a-f]{4}){3}\)/ },
  'chipwatch tips submit report.txt --attach ledger.pdf --json > submitted.json': {
    out: '',
    before: (ctx) => {
      writeFileSync(join(ctx.dir, 'report.txt'), 'Boards leave the Johor warehouse at night, relabelled.\n');
      // A real PDF with an Author: `tips submit` rewrites it without (a malformed one is refused).
      writeFileSync(
        join(ctx.dir, 'ledger.pdf'),
        [
          '%PDF-1.4',
          '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
          '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
          '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj',
          '4 0 obj << /Author (J. Tan) >> endobj',
          'trailer << /Root 1 0 R /Info 4 0 R >>',
          '%%EOF\n',
        ].join('\n'),
      );
    },
  },
  'chipwatch tips read --key alice.key --passphrase-file alice.pass --json': {
    out: /"text": "Boards leave the Johor warehouse at night, relabelled.\\n"[\s\S]*"name": "ledger.pdf"/,
  },
  'chipwatch tips reply TIP-ID question.txt --key alice.key --passphrase-file alice.pass': {
    out: /replied to tip-[0-9a-f]{16} \(message 2\)/,
    before: (ctx) => {
      const r = spawnSync(
        process.execPath,
        [ctx.bin, 'tips', 'read', '--key', 'alice.key', '--passphrase-file', 'alice.pass', '--json'],
        { cwd: ctx.dir, encoding: 'utf8', env: ctx.env },
      );
      ctx.vars.tipId = (JSON.parse(r.stdout) as { id: string }[])[0].id;
      writeFileSync(join(ctx.dir, 'question.txt'), 'Which nights, and which trucking firm?\n');
    },
    run: 'chipwatch tips reply {tipId} question.txt --key alice.key --passphrase-file alice.pass',
  },
  'chipwatch tips follow-up --receipt-file receipt.txt --json': {
    out: /"from": "investigator",[\s\S]*"text": "Which nights, and which trucking firm\?\\n"/,
    before: (ctx) => {
      const { receipt } = JSON.parse(readFileSync(join(ctx.dir, 'submitted.json'), 'utf8')) as { receipt: string };
      writeFileSync(join(ctx.dir, 'receipt.txt'), `${receipt}\n`);
    },
  },
  'chipwatch tips publish': {
    out: /published 1 commitment\(s\) through \d{4}-\d\d-\d\d/,
    before: (ctx) => {
      ctx.vars.today = new Date().toISOString().slice(0, 10);
    },
    // The documented default publishes up to yesterday; the tip of this walk-through is from today.
    run: 'chipwatch tips publish --through {today}',
  },
  'chipwatch tips prove --receipt-file receipt.txt --json': { out: /"leafIndex": \d+/ },
  'chipwatch log prove --leaf-hash LEAF-HASH': {
    out: /leaf \d+ \(hash [A-Za-z0-9+/=]+\) is in tree size \d+: verified against the signed checkpoint/,
    before: (ctx) => {
      const r = spawnSync(process.execPath, [ctx.bin, 'tips', 'prove', '--receipt-file', 'receipt.txt', '--json'], {
        cwd: ctx.dir,
        encoding: 'utf8',
        env: ctx.env,
      });
      ctx.vars.leafHash = (JSON.parse(r.stdout) as { leafHash: string }[])[0].leafHash;
    },
    run: 'chipwatch log prove --leaf-hash {leafHash}',
  },
  'chipwatch tips recipients remove alice.pub': {
    out: /removed recipient alice \([0-9a-f-]{19}\) as of \d{4}-\d\d-\d\d/,
  },
  // docs/tips.md, case flow: its own block (a fresh directory), so its investigator and tip are made first.
  'chipwatch tips status TIP-ID --to triaged --reason "names a warehouse and a night" --key bob.key': {
    out: /tip-[0-9a-f]{16}: received -> triaged/,
    before: (ctx) => {
      const cw = (...args: string[]) => {
        const r = spawnSync(process.execPath, [ctx.bin, 'tips', ...args], {
          cwd: ctx.dir,
          encoding: 'utf8',
          env: ctx.env,
        });
        if (r.status !== 0) throw new Error(`tips ${args.join(' ')}: ${r.stderr}`);
        return r.stdout;
      };
      writeFileSync(join(ctx.dir, 'case-report.txt'), 'Boards leave the Johor warehouse at night.\n');
      cw('keygen', '--out', 'bob');
      cw('recipients', 'add', 'bob.pub');
      cw('submit', 'case-report.txt');
      ctx.vars.caseTipId = (JSON.parse(cw('read', '--key', 'bob.key', '--json')) as { id: string }[])[0].id;
    },
    run: 'chipwatch tips status {caseTipId} --to triaged --reason "names a warehouse and a night" --key bob.key',
  },
  'chipwatch tips link TIP-ID --serial GPU-0042-A --key bob.key': {
    out: /tip-[0-9a-f]{16}: linked serial GPU-0042-A/,
    run: 'chipwatch tips link {caseTipId} --serial GPU-0042-A --key bob.key',
  },
  ['chipwatch tips award --sanctions 10000000 --programme sec --record TIP-ID --percent 20 --reason timely ' +
    '--key bob.key']: {
    out: /recorded on tip-[0-9a-f]{16}: 20% = \$2000000 \(range \$1000000 to \$3000000\)/,
    run:
      'chipwatch tips award --sanctions 10000000 --programme sec --record {caseTipId} --percent 20 ' +
      '--reason timely --key bob.key',
  },
  'chipwatch tips case TIP-ID --key bob.key --json': {
    out: /"status": "triaged"[\s\S]*"serial": "GPU-0042-A"[\s\S]*"decidedUSD": 2000000/,
    run: 'chipwatch tips case {caseTipId} --key bob.key --json',
  },
  'chipwatch tips due --key bob.key': {
    out: /tip-[0-9a-f]{16} {2}triaged {2}open an investigation or close by \d{4}-\d\d-\d\d/,
  },
  'chipwatch tips award --sanctions 250000000 --programme doj-pilot --json': { out: /"maxUSD": 37500000,/ },
  'chipwatch tips award --sanctions 9000000 --programme qui-tam --government declined': {
    out: /qui-tam: \$2,250,000\.00 to \$2,700,000\.00/,
  },
};
