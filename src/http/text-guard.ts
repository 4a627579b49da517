// Text PostgreSQL cannot store: NUL characters and unpaired UTF-16 surrogates (JSON allows both, and
// "\u0000" in a name made the database fail with a 500). Every string in a JSON body, the path
// parameters and the query is checked before validation; the answer is a 400 naming the field.
import type { FastifyRequest } from 'fastify';
import { ValidationError } from '../errors.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function bad(s: string): boolean {
  return s.includes('\u0000') || LONE_SURROGATE.test(s);
}

/** The dotted path of the first unstorable string in v, or undefined. */
export function findUnstorableText(v: unknown, path: string, depth = 0): string | undefined {
  if (typeof v === 'string') return bad(v) ? path : undefined;
  if (v === null || typeof v !== 'object' || depth > 64) return undefined;
  if (Buffer.isBuffer(v)) return undefined; // spreadsheet uploads: cells are validated by the registry
  for (const [k, x] of Object.entries(v)) {
    const p = `${path}.${k}`;
    if (bad(k)) return p;
    const found = findUnstorableText(x, p, depth + 1);
    if (found) return found;
  }
  return undefined;
}

export async function rejectUnstorableText(req: FastifyRequest): Promise<void> {
  const found =
    findUnstorableText(req.params, 'params') ??
    findUnstorableText(req.query, 'querystring') ??
    findUnstorableText(req.body, 'body');
  if (found)
    throw new ValidationError(`${found}: text must not contain NUL characters or unpaired surrogates`, {
      field: found,
    });
}
