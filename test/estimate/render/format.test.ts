import { describe, expect, it } from 'vitest';
import {
  escapeXml,
  groupedInt,
  humanNumber,
  percent,
  tickLabel,
  truncate,
  wrap,
} from '../../../src/estimate/render/format.js';
import { linearTicks, logTicks } from '../../../src/estimate/render/ticks.js';

describe('humanNumber', () => {
  it('writes short human numbers', () => {
    expect(humanNumber(1234)).toBe('1.2k');
    expect(humanNumber(140_000)).toBe('140k');
    expect(humanNumber(3.4e6)).toBe('3.4M');
    expect(humanNumber(2.5e9)).toBe('2.5B');
    expect(humanNumber(999_999)).toBe('1M');
    expect(humanNumber(-1234)).toBe('-1.2k');
    expect(humanNumber(0.0035)).toBe('0.0035');
    expect(humanNumber(0.00012)).toBe('1.2e-4');
    expect(humanNumber(42)).toBe('42');
    expect(humanNumber(0)).toBe('0');
    expect(humanNumber(7.2e18)).toBe('7.2e18');
  });

  it('labels ticks exactly, with as many digits as the value needs', () => {
    expect(tickLabel(1250)).toBe('1.25k');
    expect(tickLabel(100_000)).toBe('100k');
    expect(tickLabel(0.05)).toBe('0.05');
    expect(tickLabel(2e-5)).toBe('2e-5');
  });

  it('formats counts, shares, and text', () => {
    expect(groupedInt(1_000_000)).toBe('1,000,000');
    expect(percent(0.41)).toBe('41%');
    expect(percent(0.005)).toBe('0.5%');
    expect(percent(0.00001)).toBe('0.001%');
    expect(escapeXml(`<a href="x">'&'</a>\u0001`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(wrap('aa bb cc', 5)).toEqual(['aa bb', 'cc']);
  });
});

describe('ticks', () => {
  it('steps by 1, 2 or 5 × 10^k inside the range', () => {
    expect(linearTicks(0, 100, 5)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(linearTicks(0.1, 0.35, 5)).toEqual([0.1, 0.15, 0.2, 0.25, 0.3, 0.35]); // no 0.30000000000000004
    expect(linearTicks(-3, 3, 4)).toEqual([-2, 0, 2]);
  });

  it('puts decades on a log axis, with 2 and 5 when there is room', () => {
    expect(logTicks(0, 6, 7)).toEqual([1, 10, 100, 1000, 1e4, 1e5, 1e6]);
    expect(logTicks(0, 6, 3)).toEqual([1, 1000, 1e6]);
    expect(logTicks(0, 2, 9)).toEqual([1, 2, 5, 10, 20, 50, 100]);
  });
});
