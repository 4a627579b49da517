// Done-when of issue 19, Must 6, through the built bin on both databases: a fresh install estimates
// smuggling-evidence from the study's seed evidence; importing a seizure with `intel import` moves the
// estimate up; --input overrides the evidence without opening the database; compare shows prior and
// updated side by side; an --input no model reads is a usage error; a model reading an input the evidence
// lacks fails at its line:column.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, databases } from '../helpers/bin-dir.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const SEIZURE =
  'id,date,date_precision,kind,title,chip_model,quantity,quantity_unit,source_title,source_url\n' +
  'SZ-BIN-1,2024-05-14,day,seizure,Customs seize H100s bound for Shenzhen,NVIDIA H100,2400,gpu,' +
  'A press release,https://example.test/pr\n';

describe.each(databases)('smuggling-evidence through the built bin on $name', (database) => {
  it('moves when a seizure is added to the evidence', { timeout: 300_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-inputs-'));
    dirs.push(dir);
    const env = { ...process.env };
    const url = await database.url();
    if (url) env.DATABASE_URL = url;
    else delete env.DATABASE_URL;
    const chipwatch = (...args: string[]) =>
      spawnSync(process.execPath, [BIN, ...args, '--data-dir', join(dir, 'data')], {
        cwd: dir,
        encoding: 'utf8',
        env,
        timeout: 120_000,
      });
    const ok = (...args: string[]) => {
      const r = chipwatch(...args);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      return r.stdout;
    };
    const estimate = () => JSON.parse(ok('estimate', 'smuggling-evidence', '--samples', '20000', '--json'));

    const before = estimate();
    expect(before.inputs).toEqual({ seized_gpus_2024: 0 }); // the seed records no seizure in 2024
    expect(before.posterior.effectiveSamples).toBeGreaterThan(1000);

    writeFileSync(join(dir, 'seizure.csv'), SEIZURE);
    expect(JSON.parse(ok('intel', 'import', 'seizure.csv', '--kind', 'case', '--json')).inserted).toEqual(['SZ-BIN-1']);
    const after = estimate();
    expect(after.inputs).toEqual({ seized_gpus_2024: 2400 });
    expect(after.outputs.smuggled.p50).toBeGreaterThan(before.outputs.smuggled.p50 * 1.5);
    expect(after.outputs.smuggled.p95).toBeGreaterThan(before.outputs.smuggled.p95);

    // --input gives the same run as the evidence that has that value
    const given = JSON.parse(
      ok('estimate', 'smuggling-evidence', '--samples', '20000', '--json', '--input', 'seized_gpus_2024=2.4k'),
    );
    expect(given).toEqual(after);
    // ... and does not open the database: a server that is not there is never asked
    const offline = spawnSync(
      process.execPath,
      [BIN, 'estimate', 'smuggling-evidence', '--samples', '20000', '--json', '--input', 'seized_gpus_2024=2400'],
      { cwd: dir, encoding: 'utf8', env: { ...env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' } },
    );
    expect(offline.status, offline.stderr).toBe(0);
    expect(JSON.parse(offline.stdout)).toEqual(after);

    const compared = JSON.parse(
      ok('estimate', 'compare', 'smuggling-2024', 'smuggling-evidence', '--samples', '20000', '--json'),
    );
    const [prior, updated] = compared.scenarios;
    expect(prior.name).toBe('smuggling-2024');
    expect(prior.posterior).toBeUndefined();
    expect(updated.outputs.smuggled).toEqual(after.outputs.smuggled);
    expect(updated.outputs.smuggled.p50).not.toBe(prior.outputs.smuggled.p50);

    // scenarios of the one model read the evidence once and share it: a lower detection rate means more smuggled
    const scenarios = JSON.parse(
      ok(
        'estimate',
        'compare',
        'smuggling-evidence',
        '--scenario',
        'rare:detection=beta(2.5, 600)',
        '-n',
        '20000',
        '--json',
      ),
    ).scenarios;
    expect(scenarios.map((x: { inputs: object }) => x.inputs)).toEqual([after.inputs, after.inputs]);
    expect(scenarios[0].outputs.smuggled).toEqual(after.outputs.smuggled);
    expect(scenarios[1].outputs.smuggled.p50).toBeGreaterThan(2 * after.outputs.smuggled.p50);

    const typo = chipwatch('estimate', 'smuggling-evidence', '--input', 'seized_gpus_2042=5');
    expect(typo.status).toBe(2);
    expect(typo.stderr).toMatch(/--input seized_gpus_2042: the model reads no input named seized_gpus_2042 \(did you/);

    writeFileSync(join(dir, 'm.sq'), 'x = 1 to 2\ny = x * input("seized_gpus_2042")\n{y}\n');
    const missing = chipwatch('estimate', 'm.sq', '--json');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(
      /^chipwatch: 2:9: input seized_gpus_2042 has no value; did you mean seized_gpus_20\d\d\?/,
    );
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  });
});
