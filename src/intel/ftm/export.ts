// `intel export --format ftm`: every entity, then every link, as FtM JSON lines in id order. A link is an
// FtM entity of its interval schema with its two edge properties (Ownership: owner and asset), so the
// output re-imports to the same entities and links. Decisions are not in it: FtM has no "same as".
import type { Queryable } from '../../db/index.js';
import { entitiesAfter, linksAfter, type Properties } from '../entities/store.js';
import { schemaOf } from './model.js';

const PAGE = 5000;

/** Properties with sorted names, so the same data is the same bytes. */
function sorted(p: Properties): Properties {
  const out: Properties = {};
  for (const k of Object.keys(p).sort()) out[k] = p[k];
  return out;
}

/** FtM JSON lines of every entity and link, one string per line (with its newline), a page at a time. */
export async function* ftmLines(q: Queryable): AsyncGenerator<string> {
  for (let after = ''; ; ) {
    const page = await entitiesAfter(q, after, PAGE);
    for (const e of page) yield JSON.stringify({ id: e.id, schema: e.schema, properties: sorted(e.properties) }) + '\n';
    if (page.length < PAGE) break;
    after = page[page.length - 1].id;
  }
  for (let after = ''; ; ) {
    const page = await linksAfter(q, after, PAGE);
    for (const l of page) {
      const edge = schemaOf(l.schema)?.edge ?? { source: 'subject', target: 'object' };
      const properties = sorted({ ...l.properties, [edge.source]: [l.sourceId], [edge.target]: [l.targetId] });
      yield JSON.stringify({ id: l.id, schema: l.schema, properties }) + '\n';
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1].id;
  }
}
