// The demo's diligence cases, opened and moved through the API as a compliance officer does it, so
// each step of the Figure 9 workflow (docs/screening.md) holds a case with its checklist and audit
// trail; two customers hit a list (one is cancelled, one waits for the compliance lead).
import type { FastifyInstance } from 'fastify';
import { checklistFor } from '../../screening/index.js';

type Call = (key: string, method: 'POST' | 'GET', url: string, body?: unknown) => Promise<unknown>;

export function apiCaller(app: FastifyInstance): Call {
  return async (key, method, url, body) => {
    const res = await app.inject({
      method,
      url: `/api${url}`,
      headers: { authorization: `Bearer ${key}` },
      ...(body === undefined ? {} : { payload: body as object }),
    });
    if (res.statusCode >= 300) throw new Error(`demo world: ${method} ${url} answered ${res.statusCode}: ${res.body}`);
    return res.json();
  };
}

type Step = Record<string, unknown> & { action: string; reason: string };
type BusinessType = 'end-user' | 'cloud-provider' | 'reseller' | 'distributor';

interface Story {
  name: string;
  country: string;
  businessType: BusinessType;
  steps: (shippedAt: Date) => Step[];
}

const DAY = 86_400_000;
/** High risk, the checklist worked through with one concern: the case goes to mitigation. */
const vetted = (type: BusinessType, concern: string): Step[] => [
  { action: 'assess', risk: 'high', reason: 'first order, large quantity' },
  ...checklistFor(type).map((i) => ({
    action: 'check',
    item: i.id,
    outcome: i.id === concern ? 'concern' : 'ok',
    reason: i.id === concern ? 'records incomplete' : 'checked',
  })),
  { action: 'complete-vetting', reason: 'vetting done' },
];

const STORIES: readonly Story[] = [
  { name: 'Andes Research Cloud SpA', country: 'CL', businessType: 'cloud-provider', steps: () => [] },
  {
    name: 'Harbour Logistics Ltd',
    country: 'HK',
    businessType: 'distributor',
    steps: () => [{ action: 'assess', risk: 'high', reason: 'distributor in a transshipment hub' }],
  },
  {
    name: 'Kuala Data Centre Sdn Bhd',
    country: 'MY',
    businessType: 'distributor',
    steps: () => [
      ...vetted('distributor', 'reseller-audit'),
      { action: 'decide', decision: 'hold', reason: 'await the KYC records' },
    ],
  },
  {
    name: 'Gulf AI Cloud LLC',
    country: 'AE',
    businessType: 'cloud-provider',
    steps: () => [
      ...vetted('cloud-provider', 'site-visit'),
      { action: 'decide', decision: 'limit-quantity', maxQuantity: 64, reason: 'a first rack, then review' },
    ],
  },
  {
    name: 'Lion City Compute Pte Ltd',
    country: 'SG',
    businessType: 'cloud-provider',
    steps: (at) => [
      { action: 'assess', risk: 'low', reason: 'known customer since 2019' },
      { action: 'ship', shippedAt: at.toISOString(), reason: 'AWB 176-55501234' },
    ],
  },
  {
    name: 'Nordic GPU AB',
    country: 'SE',
    businessType: 'end-user',
    steps: (at) => [
      { action: 'assess', risk: 'low', reason: 'university consortium, known' },
      { action: 'ship', shippedAt: new Date(at.getTime() - 190 * DAY).toISOString(), reason: 'AWB 176-55409876' },
      verify('one-week', new Date(at.getTime() - 185 * DAY), 'site visit, racks installed'),
      verify('six-month', new Date(at.getTime() - 5 * DAY), 'remote inspection, still in use'),
    ],
  },
  {
    name: 'Sinno Electronics Co., Limited',
    country: 'HK',
    businessType: 'distributor',
    steps: () => [
      ...vetted('distributor', 'key-personnel'),
      { action: 'decide', decision: 'cancel', reason: 'listed party (SDN); order refused' },
    ],
  },
  { name: 'Sinno Electronic Co., Ltd', country: 'HK', businessType: 'reseller', steps: () => [] },
];

function verify(kind: string, at: Date, reason: string): Step {
  const ref = `inspection-${at.toISOString().slice(0, 10)}`;
  return { action: 'verify', kind, result: 'passed', source: 'inspection', ref, observedAt: at.toISOString(), reason };
}

export async function seedCases(call: Call, complianceKey: string, now: Date): Promise<{ cases: number }> {
  const shippedAt = new Date(now.getTime() - 3 * DAY);
  for (const [i, s] of STORIES.entries()) {
    const profile = {
      customer: { name: s.name, country: s.country, businessType: s.businessType },
      order: { ref: `PO-DEMO-${100 + i}`, item: 'NVIDIA H100 SXM5 80GB', quantity: 64 + 32 * i },
    };
    const opened = (await call(complianceKey, 'POST', '/cases', { profile })) as { case: { id: number } };
    for (const step of s.steps(shippedAt)) await call(complianceKey, 'POST', `/cases/${opened.case.id}/actions`, step);
  }
  return { cases: STORIES.length };
}
