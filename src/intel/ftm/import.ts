// `intel import FILE --format ftm`: reads FollowTheMoney JSON lines into entities and links, all or nothing.
// Ids are kept as the file gives them, so importing a file again changes nothing; every problem names its
// line and property, and nothing is written when there is one.
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Db, Queryable } from '../../db/index.js';
import { ValidationError } from '../../errors.js';
import { upsertEntities, upsertLinks, type Entity, type Link, type Origin } from '../entities/store.js';
import { isA } from './model.js';
import { parseFtmLine, type FtmEntity, type FtmLink } from './validate.js';

export interface FtmImportResult {
  entities: number;
  links: number;
}

/** Problems reported at most in one error. */
const MAX_PROBLEMS = 10;

class Problems {
  readonly list: ValidationError[] = [];
  add(e: ValidationError): void {
    this.list.push(e);
  }
  get full(): boolean {
    return this.list.length >= MAX_PROBLEMS;
  }
  throwIfAny(): void {
    if (this.list.length === 0) return;
    if (this.list.length === 1) throw this.list[0];
    const more = this.list.length >= MAX_PROBLEMS ? ' (the first ten)' : '';
    throw new ValidationError(`${this.list.length} problems${more}: ${this.list.map((p) => p.toLine()).join('; ')}`);
  }
}

interface Parsed {
  entities: { line: number; entity: FtmEntity }[];
  links: { line: number; link: FtmLink }[];
}

/** Parses every line; blank lines are skipped. */
export async function parseFtmLines(lines: AsyncIterable<string> | Iterable<string>): Promise<Parsed> {
  const problems = new Problems();
  const out: Parsed = { entities: [], links: [] };
  const seen = new Map<string, number>();
  let n = 0;
  for await (const text of lines) {
    n += 1;
    if (text.trim() === '') continue;
    try {
      const r = parseFtmLine(text, n);
      const id = r.kind === 'entity' ? r.entity.id : r.link.id;
      const first = seen.get(id);
      if (first !== undefined)
        throw new ValidationError(`id ${id} is already on line ${first}`, { line: n, field: 'id' });
      seen.set(id, n);
      if (r.kind === 'entity') out.entities.push({ line: n, entity: r.entity });
      else out.links.push({ line: n, link: r.link });
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      problems.add(e);
      if (problems.full) break;
    }
  }
  problems.throwIfAny();
  return out;
}

/** Each link's ends exist (in the file or the database) and have the schema its edge asks for. */
async function checkEnds(q: Queryable, parsed: Parsed): Promise<void> {
  const schemaOfId = new Map(parsed.entities.map((e) => [e.entity.id, e.entity.schema]));
  const missing = [
    ...new Set(parsed.links.flatMap((l) => [l.link.sourceId, l.link.targetId]).filter((id) => !schemaOfId.has(id))),
  ];
  for (let i = 0; i < missing.length; i += 10_000) {
    const rows = await q.query<{ id: string; schema: string }>(
      'select id, schema from intel_entities where id = any($1::text[])',
      [missing.slice(i, i + 10_000)],
    );
    for (const r of rows) schemaOfId.set(r.id, r.schema);
  }
  const clash = await q.query<{ id: string; t: string }>(
    `select id, 'link' t from intel_links where id = any($1::text[])
     union all select id, 'entity' t from intel_entities where id = any($2::text[])`,
    [parsed.entities.map((e) => e.entity.id), parsed.links.map((l) => l.link.id)],
  );
  const problems = new Problems();
  const lineOf = new Map(
    [...parsed.entities, ...parsed.links].map((r) => ['entity' in r ? r.entity.id : r.link.id, r.line]),
  );
  for (const c of clash)
    problems.add(
      new ValidationError(`id ${c.id} is already stored as a ${c.t}`, { line: lineOf.get(c.id), field: 'id' }),
    );
  for (const { line, link } of parsed.links) {
    for (const [id, range, end] of [
      [link.sourceId, link.sourceRange, link.sourceProp],
      [link.targetId, link.targetRange, link.targetProp],
    ] as const) {
      const schema = schemaOfId.get(id);
      const field = `properties.${end}`;
      if (schema === undefined)
        problems.add(
          new ValidationError(`${link.schema} ${end} ${id} is no entity in the file or the database`, { line, field }),
        );
      else if (!isA(schema, range))
        problems.add(
          new ValidationError(`${link.schema} ${end} ${id} is a ${schema}, not a ${range}`, { line, field }),
        );
      if (problems.full) break;
    }
  }
  problems.throwIfAny();
}

/** Stores parsed entities and links in one transaction; new ones get the origin (a file: 'ftm' and its name). */
export async function storeFtm(
  db: Db,
  parsed: Parsed,
  originRef: string,
  now: Date,
  origin: Origin = 'ftm',
): Promise<FtmImportResult> {
  const entities: Entity[] = parsed.entities.map(({ entity }) => ({ ...entity, origin, originRef }));
  const links: Link[] = parsed.links.map(({ link }) => ({
    id: link.id,
    schema: link.schema,
    sourceId: link.sourceId,
    targetId: link.targetId,
    properties: link.properties,
    origin,
    originRef,
  }));
  await db.transaction(async (tx) => {
    await checkEnds(tx, parsed);
    await upsertEntities(tx, entities, now);
    await upsertLinks(tx, links, now);
  });
  return { entities: entities.length, links: links.length };
}

/** The largest file read (a JavaScript string holds at most about 512 MB). */
export const MAX_FILE_BYTES = 400 * 1024 * 1024;

/** The file's lines, decoded strictly as UTF-8. */
function readLines(file: string): string[] {
  const size = statSync(file).size;
  if (size > MAX_FILE_BYTES) throw new ValidationError(`${file}: ${size} bytes; at most ${MAX_FILE_BYTES}`);
  const bytes = readFileSync(file);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const bad = Buffer.from(bytes).toString('utf8').indexOf('\uFFFD');
    const line = bad < 0 ? undefined : Buffer.from(bytes).toString('utf8').slice(0, bad).split('\n').length;
    throw new ValidationError(`${basename(file)} is not UTF-8 text`, line ? { line } : {});
  }
  return text.replace(/^\uFEFF/, '').split(/\r?\n/);
}

/** Imports an FtM JSON-lines file in one transaction; every problem names its line. */
export async function importFtmFile(db: Db, file: string, now: Date): Promise<FtmImportResult> {
  const parsed = await parseFtmLines(readLines(file));
  return storeFtm(db, parsed, basename(file).slice(0, 200), now);
}
