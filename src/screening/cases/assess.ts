// The initial risk assessment (Figure 9, step 1): screen every party of the profile (customer,
// beneficial owners, consignee, payer), evaluate the red-flag rules, and suggest a risk level the
// compliance officer confirms or overrides with a reason.
import type { Screener, ScreenResult } from '../match/screen.js';
import type { Profile } from '../redflags/profile.js';
import { evaluateRedFlags, type RedFlag, type RuleSet } from '../redflags/rules.js';
import type { Risk } from './workflow.js';

export interface PartyScreening {
  role: 'customer' | 'beneficial-owner' | 'consignee' | 'payer';
  result: ScreenResult;
}

export interface Assessment {
  screenings: PartyScreening[];
  flags: RedFlag[];
  suggestedRisk: Risk;
  reasons: string[];
}

const RANK = { clear: 0, review: 1, match: 2 } as const;

export function assessProfile(profile: Profile, screener: Screener, rules: RuleSet): Assessment {
  const screenings: PartyScreening[] = [];
  const c = profile.customer;
  screenings.push({
    role: 'customer',
    result: screener.screen({ name: c.name, country: c.country, address: c.address }),
  });
  for (const o of c.beneficialOwners ?? [])
    screenings.push({ role: 'beneficial-owner', result: screener.screen({ name: o.name, country: o.country }) });
  const o = profile.order;
  if (o.consigneeName)
    screenings.push({
      role: 'consignee',
      result: screener.screen({ name: o.consigneeName, country: o.shipToCountry }),
    });
  if (o.payerName) screenings.push({ role: 'payer', result: screener.screen({ name: o.payerName }) });
  const worst = screenings.reduce<ScreenResult['decision']>(
    (w, s) => (RANK[s.result.decision] > RANK[w] ? s.result.decision : w),
    'clear',
  );
  const flags = evaluateRedFlags(rules, { ...profile, screening: { decision: worst } });
  const reasons: string[] = [];
  for (const s of screenings) {
    if (s.result.decision !== 'clear')
      reasons.push(
        `${s.role} "${s.result.query.name}" screened ${s.result.decision} (${s.result.matches[0].list} ` +
          `${s.result.matches[0].name}, score ${s.result.matches[0].score})`,
      );
  }
  const high = flags.filter((f) => f.severity === 'high');
  const medium = flags.filter((f) => f.severity === 'medium');
  for (const f of high) reasons.push(`high red flag: ${f.title}`);
  if (medium.length >= 2) reasons.push(`${medium.length} medium red flags: ${medium.map((f) => f.id).join(', ')}`);
  const suggestedRisk: Risk = worst !== 'clear' || high.length > 0 || medium.length >= 2 ? 'high' : 'low';
  if (suggestedRisk === 'low')
    reasons.push(
      medium.length
        ? `one medium red flag (${medium[0].id}) and no listed-party match`
        : 'no listed-party match and no red flags',
    );
  return { screenings, flags, suggestedRisk, reasons };
}
