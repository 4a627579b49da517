// The award and qui tam calculator: the range a whistleblower (or a relator) may receive from a given
// amount of sanctions, with the rule and its citation behind each figure, and the factors that move an
// award within the range. Pure; amounts are exact in cents (BigInt), results rounded down to the cent.
// Where the rules are not settled (the DOJ pilot is policy, not statute; the Act is a bill), the notes
// say so.
import { ValidationError } from '../errors.js';

export const PROGRAMMES = ['sec', 'doj-pilot', 'chip-act', 'qui-tam'] as const;
export type Programme = (typeof PROGRAMMES)[number];
export type Intervention = 'intervened' | 'declined';

export interface Rule {
  rule: string;
  citation: string;
}

export interface Award {
  programme: Programme;
  sanctionsUSD: number;
  eligible: boolean;
  /** The range of the award in USD (0 and 0 when not eligible). */
  minUSD: number;
  maxUSD: number;
  rules: Rule[];
  factors: { increase: string[]; decrease: string[] };
  notes: string[];
}

/** Parses a dollar amount ("2500000", "2,500,000", "1e6" refused) into cents. */
export function parseUSD(s: string): bigint {
  const t = s.trim().replace(/^\$/, '').replace(/[,_]/g, '');
  const m = /^(\d{1,15})(?:\.(\d{1,2}))?$/.exec(t);
  if (!m)
    throw new ValidationError('must be an amount in US dollars, e.g. 2500000 or 2500000.50', { field: 'sanctions' });
  return BigInt(m[1]) * 100n + BigInt((m[2] ?? '').padEnd(2, '0') || '0');
}

const usd = (cents: bigint) => Number(cents) / 100;
/** `pct` percent of `cents`, rounded down to the cent. */
const pct = (cents: bigint, percent: number) => (cents * BigInt(percent)) / 100n;
const ONE_MILLION = 100_000_000n; // cents

const SEC_FACTORS = {
  increase: [
    'significance of the information to the success of the action (17 CFR 240.21F-6(a)(1))',
    'degree of assistance provided by the whistleblower and counsel (17 CFR 240.21F-6(a)(2))',
    'programmatic interest in deterring violations by making awards (17 CFR 240.21F-6(a)(3))',
    'participation in internal compliance and reporting systems (17 CFR 240.21F-6(a)(4))',
  ],
  decrease: [
    'culpability or involvement in the violation (17 CFR 240.21F-6(b)(1))',
    'unreasonable delay in reporting (17 CFR 240.21F-6(b)(2))',
    'interference with internal compliance and reporting systems (17 CFR 240.21F-6(b)(3))',
  ],
};

function sec(cents: bigint): Omit<Award, 'programme' | 'sanctionsUSD'> {
  const eligible = cents > ONE_MILLION;
  return {
    eligible,
    minUSD: eligible ? usd(pct(cents, 10)) : 0,
    maxUSD: eligible ? usd(pct(cents, 30)) : 0,
    rules: [
      {
        rule: 'a covered action is one whose monetary sanctions exceed $1,000,000',
        citation: '15 U.S.C. 78u-6(a)(1), (b)(1)',
      },
      {
        rule: 'awards total not less than 10% and not more than 30% of the monetary sanctions collected',
        citation: '15 U.S.C. 78u-6(b)(1)(A)-(B)',
      },
      {
        rule: "the amount within the range is at the Commission's discretion, on the factors listed",
        citation: '15 U.S.C. 78u-6(c)(1); 17 CFR 240.21F-6',
      },
    ],
    factors: SEC_FACTORS,
    notes: [
      'The range is of the sanctions collected, shared among all whistleblowers of the action.',
      'Awards of $5 million or less with no negative factor are presumed to be at the statutory maximum ' +
        '(17 CFR 240.21F-6(c), 2020 amendments); the conditions are summarised here, not reproduced.',
      ...(eligible ? [] : ['Not eligible: the sanctions do not exceed $1,000,000.']),
    ],
  };
}

function dojPilot(cents: bigint): Omit<Award, 'programme' | 'sanctionsUSD'> {
  const first = 100n * ONE_MILLION;
  const cap = 500n * ONE_MILLION;
  const eligible = cents > ONE_MILLION;
  const max =
    pct(cents < first ? cents : first, 30) + (cents > first ? pct((cents < cap ? cents : cap) - first, 5) : 0n);
  return {
    eligible,
    minUSD: 0,
    maxUSD: eligible ? usd(max) : 0,
    rules: [
      {
        rule: 'only forfeitures whose net proceeds exceed $1,000,000 qualify',
        citation: 'DOJ Criminal Division, Corporate Whistleblower Awards Pilot Program (1 August 2024), eligibility',
      },
      {
        rule: 'up to 30% of the first $100 million of net proceeds forfeited',
        citation: 'DOJ Criminal Division, Corporate Whistleblower Awards Pilot Program (2024), award amount',
      },
      {
        rule: 'up to 5% of net proceeds forfeited between $100 million and $500 million; nothing above $500 million',
        citation: 'DOJ Criminal Division, Corporate Whistleblower Awards Pilot Program (2024), award amount',
      },
    ],
    factors: {
      increase: [
        'significance and value of the information',
        "assistance given, and the tipster's report to internal compliance",
        "the Department's interest in deterring the conduct",
      ],
      decrease: [
        'participation in or culpability for the conduct',
        'unreasonable delay in reporting',
        'interference with internal compliance',
      ],
    },
    notes: [
      'The pilot sets a ceiling, not a floor: the minimum is 0. The sanctions are read as net proceeds forfeited.',
      'Unsure: the tiers are as announced in August 2024; the subject areas were widened in 2025 (a May 2025 ' +
        'Criminal Division memorandum added, as understood here, sanctions and trade offences). Check the ' +
        'programme page before relying on it.',
      ...(eligible ? [] : ['Not eligible: the net proceeds forfeited do not exceed $1,000,000.']),
    ],
  };
}

function chipAct(cents: bigint): Omit<Award, 'programme' | 'sanctionsUSD'> {
  return {
    eligible: cents > 0n,
    minUSD: usd(pct(cents, 10)),
    maxUSD: usd(pct(cents, 30)),
    rules: [
      {
        rule: 'awards of not less than 10% and not more than 30% of the fines collected',
        citation: 'Stop Stealing our Chips Act (bill, 119th Congress, 2025), whistleblower incentives section',
      },
    ],
    factors: SEC_FACTORS,
    notes: [
      'A bill, not law: the figures follow the text as introduced and may change.',
      'Unsure: whether the bill keeps an SEC-style $1,000,000 threshold is not checked here; no threshold is applied.',
      "The factors shown are the SEC's, which the bill is modelled on.",
    ],
  };
}

function quiTam(cents: bigint, intervention: Intervention): Omit<Award, 'programme' | 'sanctionsUSD'> {
  const [lo, hi] = intervention === 'intervened' ? [15, 25] : [25, 30];
  return {
    eligible: cents > 0n,
    minUSD: usd(pct(cents, lo)),
    maxUSD: usd(pct(cents, hi)),
    rules:
      intervention === 'intervened'
        ? [
            {
              rule:
                'when the Government proceeds with the action, the relator receives at least 15% and not more ' +
                'than 25% of the proceeds',
              citation: '31 U.S.C. 3730(d)(1)',
            },
          ]
        : [
            {
              rule:
                'when the Government does not proceed, the relator receives not less than 25% and not more ' +
                'than 30% of the proceeds',
              citation: '31 U.S.C. 3730(d)(2)',
            },
          ],
    factors: {
      increase: ['the extent to which the relator substantially contributed to the prosecution (31 U.S.C. 3730(d)(1))'],
      decrease: [
        'an action based primarily on publicly disclosed information: at most 10% (31 U.S.C. 3730(d)(1))',
        'a relator who planned and initiated the violation: reduced as the court sees fit (31 U.S.C. 3730(d)(3))',
        'a relator convicted of criminal conduct arising from the violation: no share (31 U.S.C. 3730(d)(3))',
      ],
    },
    notes: [
      'The proceeds are those of the action or settlement; the relator also receives reasonable expenses, ' +
        'fees and costs.',
      'The False Claims Act reaches false claims for government money (e.g. evaded customs duties), not export ' +
        'violations as such.',
    ],
  };
}

export function computeAward(programme: Programme, sanctionsCents: bigint, intervention?: Intervention): Award {
  if (programme === 'qui-tam' && !intervention)
    throw new ValidationError('qui tam needs --government intervened or --government declined', {
      field: 'government',
    });
  const body =
    programme === 'sec'
      ? sec(sanctionsCents)
      : programme === 'doj-pilot'
        ? dojPilot(sanctionsCents)
        : programme === 'chip-act'
          ? chipAct(sanctionsCents)
          : quiTam(sanctionsCents, intervention!);
  return { programme, sanctionsUSD: usd(sanctionsCents), ...body };
}
