// The award calculator: worked examples against the rules it cites, and its errors.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeAward, parseUSD } from '../../src/tips/award.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'chipwatch.js');
const citations = (a: { rules: { citation: string }[] }) => a.rules.map((r) => r.citation).join(' | ');

describe('award calculator, worked examples', () => {
  it('SEC: $10M of sanctions gives 10-30%, $1M-$3M (15 U.S.C. 78u-6(b)); exactly $1M is not a covered action', () => {
    const a = computeAward('sec', parseUSD('10,000,000'));
    expect(a).toMatchObject({ eligible: true, minUSD: 1_000_000, maxUSD: 3_000_000 });
    expect(citations(a)).toContain('15 U.S.C. 78u-6(b)(1)');
    expect(computeAward('sec', parseUSD('1000000'))).toMatchObject({ eligible: false, minUSD: 0, maxUSD: 0 });
    expect(computeAward('sec', parseUSD('1000000.01'))).toMatchObject({ eligible: true, minUSD: 100_000 });
  });

  it('DOJ pilot: $250M forfeited caps at 30% of $100M + 5% of $150M = $37.5M; above $500M nothing more', () => {
    const a = computeAward('doj-pilot', parseUSD('250000000'));
    expect(a).toMatchObject({ eligible: true, minUSD: 0, maxUSD: 37_500_000 });
    expect(citations(a)).toContain('Corporate Whistleblower Awards Pilot Program');
    expect(computeAward('doj-pilot', parseUSD('600000000')).maxUSD).toBe(50_000_000);
    expect(computeAward('doj-pilot', parseUSD('50000000')).maxUSD).toBe(15_000_000);
    expect(computeAward('doj-pilot', parseUSD('900000')).eligible).toBe(false);
  });

  it('qui tam: $9M recovered gives 15-25% when the Government intervenes, 25-30% when it declines', () => {
    const i = computeAward('qui-tam', parseUSD('9000000'), 'intervened');
    expect(i).toMatchObject({ minUSD: 1_350_000, maxUSD: 2_250_000 });
    expect(citations(i)).toBe('31 U.S.C. 3730(d)(1)');
    const d = computeAward('qui-tam', parseUSD('9000000'), 'declined');
    expect(d).toMatchObject({ minUSD: 2_250_000, maxUSD: 2_700_000 });
    expect(citations(d)).toBe('31 U.S.C. 3730(d)(2)');
  });

  it('the proposed Act: 10-30% of fines, and it says it is a bill', () => {
    const a = computeAward('chip-act', parseUSD('$2,000,000'));
    expect(a).toMatchObject({ minUSD: 200_000, maxUSD: 600_000 });
    expect(a.notes.join(' ')).toContain('A bill, not law');
  });

  it('rounds down to the cent and refuses amounts it cannot read', () => {
    expect(computeAward('sec', parseUSD('1000000.05')).minUSD).toBe(100_000);
    expect(computeAward('chip-act', parseUSD('0.15')).maxUSD).toBe(0.04);
    for (const bad of ['1e6', '-5', '', '12.345', 'ten'])
      expect(() => parseUSD(bad)).toThrow('must be an amount in US dollars');
    expect(() => computeAward('qui-tam', 100n)).toThrow('--government');
  });
});

describe('chipwatch tips award (built bin)', () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, 'tips', 'award', ...args], { encoding: 'utf8' });
  it('prints the range with its citations as JSON', () => {
    const r = cli('--sanctions', '10000000', '--programme', 'sec', '--json');
    expect(r.status, r.stderr).toBe(0);
    const a = JSON.parse(r.stdout);
    expect(a).toMatchObject({ programme: 'sec', sanctionsUSD: 10_000_000, minUSD: 1_000_000, maxUSD: 3_000_000 });
    expect(a.factors.decrease.length).toBeGreaterThan(0);
  });
  it('answers bad input with one line', () => {
    const r = cli('--sanctions', 'lots', '--programme', 'sec');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('chipwatch: field sanctions: must be an amount in US dollars, e.g. 2500000 or 2500000.50\n');
    const q = cli('--sanctions', '5', '--programme', 'qui-tam');
    expect(q.status).toBe(1);
    expect(q.stderr).toContain('--government intervened or --government declined');
  });
});
