// The functions a model may call, with their arities. Distribution constructors take numbers (or a
// {p5, p95} record); math functions apply elementwise to numbers and distributions alike.

export type BuiltinKind = 'dist' | 'math' | 'mixture' | 'truncate' | 'correlate' | 'observe';

export interface Builtin {
  kind: BuiltinKind;
  minArgs: number;
  maxArgs: number;
  usage: string;
}

const b = (kind: BuiltinKind, minArgs: number, maxArgs: number, usage: string): Builtin => ({
  kind,
  minArgs,
  maxArgs,
  usage,
});

export const BUILTINS: Readonly<Record<string, Builtin>> = {
  normal: b('dist', 1, 2, 'normal(mean, sd) or normal({p5, p95})'),
  lognormal: b('dist', 1, 2, 'lognormal(mu, sigma) or lognormal({p5, p95})'),
  uniform: b('dist', 2, 2, 'uniform(low, high)'),
  beta: b('dist', 2, 2, 'beta(alpha, beta)'),
  triangular: b('dist', 3, 3, 'triangular(min, mode, max)'),
  pointMass: b('dist', 1, 1, 'pointMass(x)'),
  exp: b('math', 1, 1, 'exp(x)'),
  log: b('math', 1, 1, 'log(x)'),
  log10: b('math', 1, 1, 'log10(x)'),
  sqrt: b('math', 1, 1, 'sqrt(x)'),
  abs: b('math', 1, 1, 'abs(x)'),
  min: b('math', 2, Infinity, 'min(a, b, ...)'),
  max: b('math', 2, Infinity, 'max(a, b, ...)'),
  mx: b('mixture', 1, Infinity, 'mx(d1, d2, ..., [w1, w2, ...])'),
  truncate: b('truncate', 3, 3, 'truncate(dist, low, high)'),
  correlate: b('correlate', 2, 2, 'correlate([a, b, ...], [[1, r], [r, 1]])'),
  observe: b('observe', 1, 1, 'observe(logLikelihood), on its own line'),
};

export function builtin(name: string): Builtin | undefined {
  return Object.hasOwn(BUILTINS, name) ? BUILTINS[name] : undefined;
}

/** Record keys accepted as quantile pairs by normal({...}) and lognormal({...}). */
export const QUANTILE_PAIRS: ReadonlyArray<readonly [string, string, number]> = [
  ['p5', 'p95', 0.05],
  ['p10', 'p90', 0.1],
  ['p25', 'p75', 0.25],
];
