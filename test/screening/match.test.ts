// Normalisation and matching on the real lists: legal forms, scripts, typos, aliases, evidence, bands.
import { beforeAll, describe, expect, it } from 'vitest';
import { normalizeName, normalizeVariants } from '../../src/screening/match/normalize.js';
import { jaroWinkler, osaDistance } from '../../src/screening/match/similarity.js';
import { phoneticKey } from '../../src/screening/match/phonetic.js';
import { buildIndex } from '../../src/screening/match/index-build.js';
import { Screener, decide } from '../../src/screening/match/screen.js';
import { loadListFiles } from '../../src/screening/lists/load.js';
import { ValidationError } from '../../src/errors.js';
import { sharedText } from './shared-data.js';

describe('normalisation', () => {
  it.each([
    ['HUAWEI TECHNOLOGIES CO., LTD.', 'huawei technologies'],
    ['Albin Technologies Sdn Bhd.', 'albin technologies'],
    ['Sky Tech Pte. Ltd.', 'sky tech'],
    ['Müller Maschinenbau GmbH', 'muller maschinenbau'],
    ['ООО Ромашка', 'romashka'],
    ['Tactical Missile Corporation, Joint Stock Company “Plant Dagdiesel”', 'tactical missile plant dagdiesel'],
    ['PT Sumber Makmur Tbk', 'sumber makmur'],
    ['Gulf Trading FZE', 'gulf trading'],
    ["O'Neil & Sons LLC", 'oneil sons'],
    ['The Bank of Kunlun', 'bank kunlun'],
    ['Company Limited', 'company limited'],
  ])('%s -> %s', (raw, want) => {
    expect(normalizeName(raw).tokens.join(' ')).toBe(want);
  });

  it('reads Chinese as pinyin, and also half-translated', () => {
    const v = normalizeVariants('华为技术有限公司');
    expect(v[0].tokens).toEqual(['hua', 'wei', 'ji', 'shu']);
    expect(v[1].tokens).toEqual(['hua', 'wei', 'technologies']);
    expect(v[0].removed).toContain('有限公司');
  });

  it('keeps ambiguous short forms inside a name', () => {
    expect(normalizeName('Sa Re Ga Co').tokens).toEqual(['sa', 're', 'ga']);
  });
});

describe('string similarity', () => {
  it('computes Jaro-Winkler and OSA distance like the references', () => {
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('dixon', 'dicksonx')).toBeCloseTo(0.813, 3);
    expect(osaDistance('ca', 'abc')).toBe(3);
    expect(osaDistance('kitten', 'sitting')).toBe(3);
    expect(osaDistance('abcd', 'acbd')).toBe(1);
  });

  it('gives transliteration variants one phonetic key', () => {
    expect(phoneticKey('mohammed')).toBe(phoneticKey('muhammad'));
    expect(phoneticKey('qasim')).toBe(phoneticKey('kassim'));
    expect(phoneticKey('yusuf')).toBe(phoneticKey('jusuf'));
    expect(phoneticKey('huawei')).not.toBe(phoneticKey('zte'));
  });
});

describe('screening against the real lists', () => {
  let screener: Screener;
  beforeAll(() => {
    const set = loadListFiles([
      { name: 'csl.csv', text: sharedText('csl-2022-05.csv') },
      { name: 'sdn.csv', text: sharedText('ofac-sdn-2024-05-03.csv') },
      { name: 'alt.csv', text: sharedText('ofac-alt-2025-08.csv') },
    ]);
    screener = new Screener(buildIndex(set.entries));
  });

  it('matches an exact listed name with an explanation', () => {
    const r = screener.screen({ name: 'Huawei Technologies Co., Ltd.' });
    expect(r.decision).toBe('match');
    expect(r.matches[0].score).toBe(1);
    expect(r.matches[0].name.toLowerCase()).toContain('huawei technologies');
    expect(r.matches[0].explanation).toMatch(/ignored legal form\/filler: co ltd/);
  });

  it('matches legal-form, typo, script and word-order variants', () => {
    const cases: [string, RegExp][] = [
      ['Albin Technolgies Sendirian Berhad', /Albin Technologies/],
      ['华为技术有限公司', /huawei/i],
      ['Рособоронэкспорт', /rosoboron/i],
      ['Yasir Abbas', /'ABBAS, Yasir/],
    ];
    for (const [q, want] of cases) {
      const r = screener.screen({ name: q });
      expect(r.decision, q).not.toBe('clear');
      expect(
        r.matches.some((m) => want.test(m.name)),
        q,
      ).toBe(true);
    }
  });

  it('matches through an alt.csv alias and says so', () => {
    const r = screener.screen({ name: 'National Bank of Cuba' });
    expect(r.decision).toBe('match');
    const m = r.matches.find((x) => x.entryId === 'sdn:306')!;
    expect(m.name).toBe('BANCO NACIONAL DE CUBA');
    expect(m.explanation).toMatch(/^alias "NATIONAL BANK OF CUBA"/);
  });

  it('clears unrelated names', () => {
    for (const q of ['Acme Widgets Inc', 'Kuala Lumpur Bakery Sdn Bhd', 'Stanford University']) {
      expect(screener.screen({ name: q }).decision, q).toBe('clear');
    }
  });

  it('uses country as supporting or penalising evidence', () => {
    const base = screener.screen({ name: 'Albin Technologies' }).matches[0];
    const same = screener.screen({ name: 'Albin Technologies', country: 'MY' }).matches[0];
    const other = screener.screen({ name: 'Albin Technologies', country: 'DE' }).matches[0];
    expect(same.score).toBeGreaterThan(other.score);
    expect(same.score).toBeGreaterThanOrEqual(base.score);
    expect(other.explanation).toMatch(/not Germany/);
    const withAddr = screener.screen({ name: 'Albin Technologies', address: 'Plaza Damas, Sri Hartamas, Kuala Lumpur' })
      .matches[0];
    expect(withAddr.explanation).toMatch(/address shares/);
  });

  it('rejects empty names and unknown countries', () => {
    expect(() => screener.screen({ name: '  ' })).toThrowError(ValidationError);
    expect(() => screener.screen({ name: 'x', country: 'Atlantis' })).toThrowError(/unknown country/);
  });

  it('bands scores', () => {
    expect(decide(0.95, { review: 0.8, match: 0.92 })).toBe('match');
    expect(decide(0.85, { review: 0.8, match: 0.92 })).toBe('review');
    expect(decide(0.5, { review: 0.8, match: 0.92 })).toBe('clear');
  });
});
