// The case flow through the built bin (issue 16, Must 5-6): only a current investigator's key acts or
// reads; status, links, award decisions, the case and the due list. PGlite in the data directory, and
// PostgreSQL when DATABASE_URL is set.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, databases, removeTipsDirs, tipsDir } from './bin-harness.js';

afterAll(removeTipsDirs);

describe.each(databases)('chipwatch tips case flow on $name (built bin)', ({ url }) => {
  it('lets an investigator key move, link, award and read a case; refuses other keys', async () => {
    const { dir, run, ok } = await tipsDir('cw-case-', url);
    const keygen = (name: string) =>
      expect(spawnSync(process.execPath, [BIN, 'tips', 'keygen', '--out', name], { cwd: dir }).status).toBe(0);
    keygen('alice');
    keygen('mallory');
    ok('recipients', 'add', 'alice.pub');
    writeFileSync(join(dir, 'report.txt'), 'Boards leave at night.\n');
    ok('submit', 'report.txt');
    const tipId = (JSON.parse(ok('read', '--key', 'alice.key', '--json')) as { id: string }[])[0].id;

    const refused = run('case', tipId, '--key', 'mallory.key', '--json');
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/is not a current investigator/);
    const bad = run('status', tipId, '--to', 'referred', '--reason', 'x', '--key', 'alice.key');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/a tip that is received cannot become referred \(allowed: triaged, closed\)/);

    expect(ok('status', tipId, '--to', 'triaged', '--reason', 'names a warehouse', '--key', 'alice.key')).toMatch(
      `${tipId}: received -> triaged`,
    );
    ok('link', tipId, '--serial', 'GPU-0042-A', '--key', 'alice.key');
    ok('link', tipId, '--entity', 'acme-logistics-hk', '--key', 'alice.key');
    const badLink = run('link', tipId, '--serial', 'no spaces', '--key', 'alice.key');
    expect(badLink.stderr).toMatch(/a serial is 1-64 letters/);
    const award = ['award', '--sanctions', '10000000', '--programme', 'sec', '--record', tipId, '--reason', 'timely'];
    expect(run(...award, '--percent', '40', '--key', 'alice.key').stderr).toMatch(/outside the range/);
    expect(ok(...award, '--percent', '20', '--key', 'alice.key')).toMatch(
      `recorded on ${tipId}: 20% = $2000000 (range $1000000 to $3000000)`,
    );
    const c = JSON.parse(ok('case', tipId, '--key', 'alice.key', '--json'));
    expect(c).toMatchObject({
      id: tipId,
      status: 'triaged',
      deadline: { status: 'triaged', overdue: false },
      links: [{ serial: 'GPU-0042-A' }, { entity: 'acme-logistics-hk' }],
      awards: [{ programme: 'sec', percent: 20, decidedUSD: 2_000_000 }],
    });
    expect(c.history.map((e: { kind: string }) => e.kind)).toEqual(['status', 'link', 'link', 'award']);
    expect(c.history[0].actor).toMatch(/^key [0-9a-f]{4}(-[0-9a-f]{4}){3}$/);
    expect(JSON.parse(ok('due', '--key', 'alice.key', '--json'))).toEqual([
      expect.objectContaining({ tipId, status: 'triaged', overdue: false }),
    ]);
    ok('recipients', 'remove', 'alice.pub');
    expect(run('due', '--key', 'alice.key').stderr).toMatch(/is not a current investigator/);
  }, 120_000);
});
