// Reads a batch-screening CSV (header row with a `name` column, optional `country`) into the API's parties,
// naming the line of anything it cannot read.
export function parseParties(text: string): { name: string; country?: string }[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length < 2) throw new Error('the file needs a header row and at least one party');
  const header = splitLine(lines[0]).map((h) => h.trim().toLowerCase());
  const nameAt = header.indexOf('name');
  const countryAt = header.indexOf('country');
  if (nameAt < 0) throw new Error('line 1: the header has no "name" column');
  return lines.slice(1).map((line, i) => {
    const cells = splitLine(line);
    const name = cells[nameAt]?.trim();
    if (!name) throw new Error(`line ${i + 2}: the name is empty`);
    const country = countryAt >= 0 ? cells[countryAt]?.trim() : undefined;
    return country ? { name, country } : { name };
  });
}

/** One CSV line: commas, and double quotes around a cell that holds them ("" is a quote). */
function splitLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}
