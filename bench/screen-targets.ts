// The targets of issue 15 for the screening benchmark, one PASS/FAIL line each: recall >= 0.97 overall
// and >= 0.90 in every class, precision >= 0.95, false alarms <= 3 % on real unlisted companies, and
// >= 2,000 queries/s on one core.

export interface Measured {
  recall: number;
  precision: number;
  perClass: { kind: string; recall: number }[];
  alarmRate: number;
  /** Unlisted companies the false-alarm rate counts. */
  unlisted: number;
  queriesPerSecond: number;
}

const fmt = (x: number) => x.toFixed(3);

/** [line, met] per target, in the order. */
export function targetLines(m: Measured): [string, boolean][] {
  const worst = m.perClass.reduce((a, b) => (b.recall < a.recall ? b : a));
  const below = m.perClass.filter((c) => c.recall < 0.9);
  return [
    [`recall overall (test split) ${fmt(m.recall)} >= 0.97`, m.recall >= 0.97],
    [
      `recall in every class >= 0.90: lowest ${worst.kind} ${fmt(worst.recall)}` +
        (below.length ? `; below: ${below.map((c) => c.kind).join(', ')}` : ''),
      below.length === 0,
    ],
    [`precision (test split) ${fmt(m.precision)} >= 0.95`, m.precision >= 0.95],
    [
      `false alarms on ${m.unlisted} unlisted companies ${(100 * m.alarmRate).toFixed(1)} % <= 3 %`,
      m.alarmRate <= 0.03,
    ],
    [`${m.queriesPerSecond.toFixed(0)} queries/s on one core >= 2000`, m.queriesPerSecond >= 2000],
  ];
}

/** The report block; `check` (the bench's --check) makes a missed target exit code 1. */
export function reportTargets(lines: [string, boolean][], check: boolean): { text: string; exitCode: number } {
  const text = ['targets (issue 15):', ...lines.map(([what, ok]) => `  ${ok ? 'PASS' : 'FAIL'}  ${what}`)].join('\n');
  return { text, exitCode: check && lines.some(([, ok]) => !ok) ? 1 : 0 };
}
