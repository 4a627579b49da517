// `verify locate`: offline analysis of observation sets. Input is one case or an array of cases; the
// answer keeps the same shape and order. Attacker-controlled input: validated with zod, sizes capped.
import { z } from 'zod';
import { ValidationError } from '../errors.js';
import { judge, type Verdict, type VerdictKind, type VerdictOptions } from './verdict.js';

export const MAX_CASES = 10_000;
export const MAX_OBSERVATIONS = 10_000;

const caseSchema = z.object({
  declared: z
    .object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) })
    .nullable()
    .optional(),
  restricted: z
    .array(z.string().regex(/^[A-Za-z]{2}$/, 'ISO 3166-1 alpha-2 code'))
    .max(300)
    .optional(),
  observations: z
    .array(
      z.object({
        landmark: z.object({
          id: z.union([z.string().min(1).max(128), z.number()]).transform(String),
          lat: z.number().min(-90).max(90),
          lon: z.number().min(-180).max(180),
        }),
        rttMs: z.number().finite().nonnegative().max(100_000),
      }),
    )
    .max(MAX_OBSERVATIONS),
});
export type LocateCase = z.infer<typeof caseSchema>;

export interface LocateAnswer {
  verdict: VerdictKind;
  declaredConsistent: boolean | null;
  provenOutside: string[];
  marginKm: Record<string, number>;
  region: Verdict['region'];
}

export function parseLocateInput(value: unknown): { cases: LocateCase[]; single: boolean } {
  const single = !Array.isArray(value);
  const arr = single ? [value] : (value as unknown[]);
  if (arr.length > MAX_CASES) throw new ValidationError(`at most ${MAX_CASES} cases per file`, { field: 'cases' });
  const cases = arr.map((c, i) => {
    const r = caseSchema.safeParse(c);
    if (!r.success) {
      const issue = r.error.issues[0];
      const path = issue.path.join('.');
      throw new ValidationError(issue.message, {
        field: single ? path : `[${i}]${path ? '.' + path : ''}`,
        ...(single ? {} : { row: i + 1 }),
      });
    }
    return r.data;
  });
  return { cases, single };
}

export function locateCase(c: LocateCase, opts: Omit<VerdictOptions, 'declared' | 'restricted'> = {}): LocateAnswer {
  const v = judge(
    c.observations.map((o) => ({
      landmarkId: o.landmark.id,
      lat: o.landmark.lat,
      lon: o.landmark.lon,
      rttMs: o.rttMs,
    })),
    { ...opts, declared: c.declared ?? null, restricted: c.restricted },
  );
  return {
    verdict: v.verdict,
    declaredConsistent: v.declaredConsistent,
    provenOutside: v.provenOutside,
    marginKm: v.marginKm,
    region: v.region,
  };
}

export function locate(
  value: unknown,
  opts: Omit<VerdictOptions, 'declared' | 'restricted'> = {},
): LocateAnswer | LocateAnswer[] {
  const { cases, single } = parseLocateInput(value);
  const answers = cases.map((c) => locateCase(c, opts));
  return single ? answers[0] : answers;
}
