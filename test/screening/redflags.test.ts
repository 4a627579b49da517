// Red-flag rules from the shipped rules file over profiles, and the initial assessment.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { DATA_DIR } from '../../src/paths.js';
import { evaluateRedFlags, loadRules, parseRules } from '../../src/screening/redflags/rules.js';
import { profileSchema, type ProfileInput } from '../../src/screening/redflags/profile.js';
import { assessProfile } from '../../src/screening/cases/assess.js';
import { buildIndex } from '../../src/screening/match/index-build.js';
import { Screener } from '../../src/screening/match/screen.js';
import { parseCslCsv } from '../../src/screening/lists/csl-csv.js';
import { cslExtract } from './shared-data.js';
import { ValidationError } from '../../src/errors.js';
import { readFileSync } from 'node:fs';

const rules = loadRules(DATA_DIR);
const ids = (p: ProfileInput) =>
  evaluateRedFlags(rules, profileSchema.parse(p))
    .map((f) => f.id)
    .sort();

describe('red-flag rules', () => {
  it('every rule carries a citation and a plain explanation', () => {
    expect(rules.rules.length).toBeGreaterThanOrEqual(15);
    for (const r of rules.rules) {
      expect(r.citation.length).toBeGreaterThan(10);
      expect(r.explanation.length).toBeGreaterThan(40);
    }
  });

  it('raises nothing for an established end user with a confirmed data centre', () => {
    expect(
      ids({
        customer: {
          name: 'Acme AI GmbH',
          country: 'DE',
          addressType: 'commercial',
          webPresence: 'established',
          yearsInBusiness: 12,
          isFirstOrder: false,
          businessType: 'end-user',
          firstAdvancedOrderDate: '2019-03-01',
        },
        order: {
          quantity: 256,
          shipToCountry: 'DE',
          endUse: 'training language models',
          endUseFitsBusiness: true,
          consigneeType: 'end-user',
          paymentMethod: 'wire',
        },
        dataCenter: { powerConfirmed: true, capacityConfirmed: true, powerMw: 2 },
      }),
    ).toEqual([]);
  });

  it('flags the diversion profile of BIS guidance, each for its own reason', () => {
    const got = ids({
      customer: {
        name: 'Bright Future Trading',
        country: 'MY',
        addressType: 'residential',
        webPresence: 'none',
        yearsInBusiness: 1,
        isFirstOrder: true,
        businessType: 'reseller',
        firstAdvancedOrderDate: '2024-02-01',
        headquartersCountry: 'CN',
      },
      order: {
        quantity: 512,
        shipToCountry: 'MY',
        route: ['SG', 'MY'],
        consigneeType: 'freight-forwarder',
        payerIsThirdParty: true,
        paymentMethod: 'crypto',
        endUseFitsBusiness: false,
        declinesInstallation: true,
        deliveryVague: true,
        packagingInconsistent: true,
      },
      dataCenter: { powerConfirmed: false, powerMw: 0.2 },
    });
    expect(got).toEqual([
      'cash-payment',
      'd5-country',
      'datacenter-unconfirmed',
      'datacenter-underpowered',
      'declines-services',
      'evasive-end-use',
      'first-time-large-volume',
      'forwarder-consignee',
      'little-background',
      'minimal-web-presence',
      'new-advanced-buyer',
      'no-business-fit',
      'odd-route',
      'outside-distribution',
      'packaging-inconsistent',
      'residential-address',
      'third-party-payer',
      'transshipment-hub',
      'vague-delivery',
    ]);
  });

  it('does not fire on unknown facts, and records the facts it used', () => {
    expect(ids({ customer: { name: 'X' }, order: { endUse: 'rendering farm' } })).toEqual([]);
    const [f] = evaluateRedFlags(
      rules,
      profileSchema.parse({
        customer: { name: 'X' },
        order: { quantity: 1000, endUse: 'x' },
        dataCenter: { powerMw: 0.5 },
      }),
    );
    expect(f.id).toBe('datacenter-underpowered');
    expect(f.facts).toEqual({ 'order.quantity': 1000, 'dataCenter.powerMw': 0.5 });
  });

  it('rejects a malformed rules file by field', () => {
    const text = readFileSync(join(DATA_DIR, 'screening', 'red-flags.json'), 'utf8');
    const doc = JSON.parse(text);
    doc.rules[0].when = { op: 'frobnicate', args: [1] };
    expect(() => parseRules(JSON.stringify(doc))).toThrowError(ValidationError);
    const doc2 = JSON.parse(text);
    doc2.rules[1].when = { op: 'in', args: [{ field: 'customer.country' }, { const: 'nowhere' }] };
    expect(() => parseRules(JSON.stringify(doc2))).toThrowError(/unknown constant nowhere/);
  });
});

describe('initial assessment', () => {
  const entries = parseCslCsv(cslExtract(['Albin Technologies', 'Huawei Technologies Co., Ltd.']));
  const screener = new Screener(buildIndex(entries));

  it('screens every party and suggests high risk for a listed consignee', () => {
    const a = assessProfile(
      profileSchema.parse({
        customer: { name: 'Nordic Compute AB', country: 'SE', webPresence: 'established' },
        order: {
          quantity: 16,
          endUse: 'research cluster',
          consigneeName: 'Albin Technologies Sdn. Bhd.',
          shipToCountry: 'MY',
        },
      }),
      screener,
      rules,
    );
    expect(a.screenings.map((s) => [s.role, s.result.decision])).toEqual([
      ['customer', 'clear'],
      ['consignee', 'match'],
    ]);
    expect(a.flags.map((f) => f.id)).toContain('listed-party');
    expect(a.suggestedRisk).toBe('high');
    expect(a.reasons.join(' ')).toMatch(/consignee "Albin Technologies Sdn. Bhd." screened match/);
  });

  it('suggests low risk for a clean profile with one medium flag', () => {
    const a = assessProfile(
      profileSchema.parse({
        customer: { name: 'Nordic Compute AB', country: 'SG', webPresence: 'established', yearsInBusiness: 9 },
        order: { quantity: 16, endUse: 'research cluster', shipToCountry: 'SG' },
      }),
      screener,
      rules,
    );
    expect(a.flags.map((f) => f.id)).toEqual(['transshipment-hub']);
    expect(a.suggestedRisk).toBe('low');
  });
});
