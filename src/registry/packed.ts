// Column-packed bulk parameters: one text parameter per column, values joined by the ASCII unit
// separator (NULL as the record separator), split in SQL with string_to_array. Compared with array
// parameters this skips per-element quoting and escaping on the client and array_in parsing on the
// server. Safe because validation rejects control characters in every filed value; pack() re-checks.

export type Packable = string | number | boolean | null;
const SEP = '\u001f';
const NUL = '\u001e';

/** Packs one column. A leading separator makes element 1 a dummy, so '' and [] stay distinct. */
export function pack(values: readonly Packable[]): string {
  let s = '';
  for (const v of values) {
    if (v === null) {
      s += SEP + NUL;
      continue;
    }
    const t = String(v);
    // Validation rejects these characters first: reaching here is a bug.
    if (t.includes(SEP) || t.includes(NUL)) throw new Error('packed value contains a separator character');
    s += SEP + t;
  }
  return s;
}

/** SQL for `unnest(col1, col2, ...)` over packed parameters $first.. with the given element types. */
export function unnestPacked(types: readonly string[], first = 1): string {
  const columns = types.map((t, i) => `(string_to_array($${first + i}::text, chr(31), chr(30)))[2:]::${t}[]`);
  return `unnest(${columns.join(', ')})`;
}
