// `lists update`: a newer copy is validated in full, compared with the active version, stored as a new
// version, and picked up by the screening service; a bad file stores nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/index.js';
import { backends } from '../helpers/db.js';
import { prepareUpdate, updateLists } from '../../src/screening/lists/update.js';
import { listVersions } from '../../src/screening/lists/store.js';
import { diffLists } from '../../src/screening/lists/diff.js';
import { ScreeningService } from '../../src/screening/service.js';
import { parseCslCsv } from '../../src/screening/lists/csl-csv.js';
import { DATA_DIR } from '../../src/paths.js';
import { ValidationError } from '../../src/errors.js';
import { cslExtract } from './shared-data.js';

const OLD = cslExtract(['Albin Technologies', 'Al-Qertas', 'Alagir Resistor Factory']);
// The newer copy: Al-Qertas delisted, Alagir gains an alias, a new entity is added.
const NEW =
  OLD.split('\n')
    .filter((l) => !l.includes('Al-Qertas'))
    .map((l) => l.replace('Alagirsky Resistor Factory', 'Alagirsky Resistor Factory; AO Alagir'))
    .join('\n') +
  'new-1,Entity List (EL) - Bureau of Industry and Security,,,,Example Compute Pte. Ltd.,,' +
  '"1 Example Road, Singapore, 123456, SG",90 FR 1,2025-01-15,,,,,,,,,,,,,,,,,,,\n';

describe('list diff', () => {
  it('names added, removed and changed entries with the fields that changed', () => {
    const d = diffLists(parseCslCsv(OLD), parseCslCsv(NEW));
    expect(d.added.map((e) => e.name)).toEqual(['Example Compute Pte. Ltd.']);
    expect(d.removed.map((e) => e.name)).toEqual(['Al-Qertas']);
    expect(d.changed).toEqual([expect.objectContaining({ name: 'Alagir Resistor Factory', fields: ['aliases'] })]);
    expect(d.byList.EL).toEqual({ added: 1, removed: 1, changed: 1 });
  });
});

for (const backend of backends) {
  describe(`lists update (${backend.name})`, () => {
    let db: Db;
    beforeAll(async () => {
      db = await backend.open();
    });
    afterAll(async () => {
      await db.close();
    });

    it('stores versions with their changes, and the service screens the newest', async () => {
      const first = await updateLists(
        db,
        [{ name: 'old.csv', text: OLD }],
        { dataDir: DATA_DIR },
        'cli:test',
        new Date('2026-01-01T00:00:00Z'),
      );
      expect(first.comparedWith).toBe('the shipped snapshot');
      expect(first.entries).toBe(3);
      const second = await updateLists(
        db,
        [{ name: 'new.csv', text: NEW }],
        { dataDir: DATA_DIR },
        'cli:test',
        new Date('2026-02-01T00:00:00Z'),
      );
      expect(second.comparedWith).toBe(`version ${first.versionId}`);
      expect([second.changes.addedCount, second.changes.removedCount, second.changes.changedCount]).toEqual([1, 1, 1]);
      const versions = await listVersions(db);
      expect(versions.map((v) => v.id)).toEqual([second.versionId, first.versionId]);
      const service = new ScreeningService(db, { dataDir: DATA_DIR });
      const s = await service.screener();
      expect(s.screen({ name: 'Example Compute Pte Ltd' }).decision).toBe('match');
      expect(s.screen({ name: 'Al-Qertas' }).decision).toBe('clear');
      expect((await service.lists()).version).toBe(second.versionId);
    });

    it('stores nothing when a file is bad, and keeps versions immutable', async () => {
      const before = (await listVersions(db)).length;
      const bad = NEW.replace('2025-01-15', 'soon');
      expect(() => prepareUpdate([{ name: 'bad.csv', text: bad }])).toThrowError(ValidationError);
      const err = await updateLists(db, [{ name: 'bad.csv', text: bad }], { dataDir: DATA_DIR }, 'x', new Date()).catch(
        (e: unknown) => e,
      );
      expect((err as ValidationError).toLine()).toMatch(/^row 4, column start_date: bad\.csv: "soon" is not a date/);
      expect((await listVersions(db)).length).toBe(before);
      await expect(db.query('update screening_list_versions set loaded_by = $1', ['someone else'])).rejects.toThrow(
        /append-only/,
      );
    });
  });
}
