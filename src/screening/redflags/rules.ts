// Red flags as data: rules (data/screening/red-flags.json) are small expressions over the profile,
// each with its citation and a plain explanation. Adding or tuning a flag is an edit to that file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ValidationError } from '../../errors.js';

export type Severity = 'high' | 'medium' | 'low';
type Scalar = string | number | boolean;
export type Expr = Scalar | Scalar[] | { field: string } | { const: string } | { op: string; args: Expr[] };

const OPS = [
  'all',
  'any',
  'not',
  'eq',
  'ne',
  'gt',
  'gte',
  'lt',
  'lte',
  'in',
  'intersects',
  'missing',
  'before',
  'after',
  'mul',
] as const;

const expr: z.ZodType<Expr> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.array(z.union([z.string(), z.number(), z.boolean()])),
    z.object({ field: z.string().min(1) }).strict(),
    z.object({ const: z.string().min(1) }).strict(),
    z.object({ op: z.enum(OPS), args: z.array(expr).min(1) }).strict(),
  ]),
);

const rulesFile = z
  .object({
    version: z.literal(1),
    constants: z.record(z.union([z.string(), z.number(), z.array(z.string())])),
    rules: z
      .array(
        z
          .object({
            id: z.string().regex(/^[a-z0-9-]+$/),
            severity: z.enum(['high', 'medium', 'low']),
            title: z.string().min(1),
            citation: z.string().min(1),
            explanation: z.string().min(1),
            when: expr,
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

export type RuleSet = z.infer<typeof rulesFile>;
export type Rule = RuleSet['rules'][number];

export interface RedFlag {
  id: string;
  severity: Severity;
  title: string;
  citation: string;
  explanation: string;
  /** The profile facts the rule looked at, as it saw them. */
  facts: Record<string, unknown>;
}

export function parseRules(text: string, label = 'red-flags.json'): RuleSet {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ValidationError(`${label}: not valid JSON (${(e as Error).message})`);
  }
  const r = rulesFile.safeParse(doc);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new ValidationError(`${label}: ${i.message}`, { field: i.path.join('.') });
  }
  const ids = new Set<string>();
  for (const rule of r.data.rules) {
    if (ids.has(rule.id)) throw new ValidationError(`${label}: duplicate rule id ${rule.id}`, { field: 'rules' });
    ids.add(rule.id);
    checkConstants(rule.when, r.data.constants, `${label}: rule ${rule.id}`);
  }
  return r.data;
}

function checkConstants(e: Expr, constants: RuleSet['constants'], where: string): void {
  if (typeof e !== 'object' || e === null || Array.isArray(e)) return;
  if ('const' in e && !(e.const in constants))
    throw new ValidationError(`${where}: unknown constant ${e.const}`, { field: 'rules' });
  if ('op' in e) for (const a of e.args) checkConstants(a, constants, where);
}

export function loadRules(dataDir: string): RuleSet {
  const file = join(dataDir, 'screening', 'red-flags.json');
  return parseRules(readFileSync(file, 'utf8'), file);
}

type Value = Scalar | Scalar[] | undefined | null;

function fieldOf(profile: unknown, path: string): Value {
  let cur: unknown = profile;
  for (const k of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur as Value;
}

function evaluate(e: Expr, profile: unknown, constants: RuleSet['constants'], facts: Record<string, unknown>): Value {
  if (typeof e !== 'object' || Array.isArray(e)) return e;
  if ('field' in e) {
    const v = fieldOf(profile, e.field);
    facts[e.field] = v ?? null;
    return v;
  }
  if ('const' in e) return constants[e.const];
  const ev = (x: Expr) => evaluate(x, profile, constants, facts);
  const [a, b] = e.args;
  const known = (v: Value): v is Scalar | Scalar[] => v !== undefined && v !== null && v !== '';
  switch (e.op) {
    case 'all':
      return e.args.every((x) => ev(x) === true);
    case 'any':
      return e.args.map(ev).some((v) => v === true); // evaluate all: every fact shows in the evidence
    case 'not':
      return ev(a) !== true;
    case 'eq': {
      const x = ev(a);
      return known(x) && x === ev(b);
    }
    case 'ne':
      return ev(a) !== ev(b);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const x = ev(a);
      const y = ev(b);
      if (typeof x !== 'number' || typeof y !== 'number') return false;
      return e.op === 'gt' ? x > y : e.op === 'gte' ? x >= y : e.op === 'lt' ? x < y : x <= y;
    }
    case 'in': {
      const x = ev(a);
      const list = ev(b);
      return known(x) && Array.isArray(list) && list.includes(x as Scalar);
    }
    case 'intersects': {
      const xs = ev(a);
      if (!Array.isArray(xs)) return false;
      return e.args
        .slice(1)
        .map(ev)
        .some((l) => Array.isArray(l) && xs.some((x) => l.includes(x)));
    }
    case 'missing': {
      const x = ev(a);
      return !known(x) || (typeof x === 'string' && x.trim() === '');
    }
    case 'before':
    case 'after': {
      const x = ev(a);
      const y = ev(b);
      if (typeof x !== 'string' || typeof y !== 'string') return false;
      return e.op === 'before' ? x < y : x > y; // ISO dates compare as strings
    }
    case 'mul': {
      const vals = e.args.map(ev);
      return vals.every((v) => typeof v === 'number') ? (vals as number[]).reduce((p, v) => p * v, 1) : undefined;
    }
    default:
      return undefined;
  }
}

/** The rules that fire for a profile (plus `screening.decision` when the party was screened). */
export function evaluateRedFlags(rules: RuleSet, profile: unknown): RedFlag[] {
  const out: RedFlag[] = [];
  for (const r of rules.rules) {
    const facts: Record<string, unknown> = {};
    if (evaluate(r.when, profile, rules.constants, facts) === true) {
      out.push({
        id: r.id,
        severity: r.severity,
        title: r.title,
        citation: r.citation,
        explanation: r.explanation,
        facts,
      });
    }
  }
  return out;
}
