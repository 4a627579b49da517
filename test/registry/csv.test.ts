// The streaming CSV reader agrees with csv-stringify/csv-parse on any records, whatever the chunking,
// and rejects malformed quoting with the record number.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stringify } from 'csv-stringify/sync';
import { parse } from 'csv-parse/sync';
import { CsvReader, type CsvSyntaxError } from '../../src/registry/csv.js';

function readAll(text: string, cuts: number[]): string[][] {
  const r = new CsvReader();
  const out: string[][] = [];
  let at = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    out.push(...r.push(text.slice(at, c)));
    at = c;
  }
  out.push(...r.push(text.slice(at)));
  out.push(...r.end());
  return out;
}

describe('CsvReader', () => {
  it('round-trips csv-stringify output under any chunking', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r', ' ', 'é', '字'), maxLength: 8 });
    const records = fc
      .array(fc.array(field, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 6 })
      .map((rs) => rs.map((r) => r.slice(0, rs[0].length)).filter((r) => r.length === rs[0].length));
    fc.assert(
      fc.property(records, fc.array(fc.nat(), { maxLength: 6 }), fc.boolean(), (recs, cuts, crlf) => {
        const text = stringify(recs, { record_delimiter: crlf ? '\r\n' : '\n', quoted_match: /[\r\n]/ });
        const got = readAll(
          text,
          cuts.map((c) => c % (text.length + 1)),
        );
        expect(got).toEqual(parse(text, { relax_column_count: true }));
      }),
      { numRuns: 500, seed: 4180 },
    );
  });

  it('handles a BOM, a missing final newline and empty trailing fields', () => {
    expect(readAll('\ufeffa,b\r\n1,\n2,"x""y"', [])).toEqual([
      ['a', 'b'],
      ['1', ''],
      ['2', 'x"y'],
    ]);
    expect(readAll('a,b\n\n1,2\n', [3])).toEqual([['a', 'b'], [''], ['1', '2']]);
  });

  it('rejects malformed quoting, naming the record', () => {
    const err = (t: string) => {
      try {
        readAll(t, []);
        return null;
      } catch (e) {
        return e as CsvSyntaxError;
      }
    };
    expect(err('a,b\n1,"open\n')).toMatchObject({ message: 'unclosed quote', record: 2 });
    expect(err('a,b\n1,x"y\n')).toMatchObject({ message: 'quote inside an unquoted field', record: 2 });
    expect(err('"a"b,c\n')).toMatchObject({ message: 'text after a closing quote', record: 1 });
    const r = new CsvReader(100);
    expect(() => r.push('"' + 'x'.repeat(200))).toThrow(/longer than 100/);
  });
});
