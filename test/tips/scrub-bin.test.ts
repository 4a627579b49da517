// Attachments lose their metadata, through the built bin: `tips submit` removes EXIF from a JPEG and
// the properties of a docx before sealing, keeps an unknown file byte for byte, tells the tipster what
// it did, and the investigator opens the clean files; a malformed "JPEG" stops the submission with a
// line naming it, and nothing is stored. On PGlite, and on PostgreSQL when DATABASE_URL is set.
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import JSZip from 'jszip';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/accounts/store.js';
import { buildApp } from '../../src/app/server.js';
import type { Db } from '../../src/db/index.js';
import { decodePublicKey } from '../../src/tips/keys.js';
import { addRecipient } from '../../src/tips/service.js';
import { backends } from '../helpers/db.js';
import { BIN, databases, removeTipsDirs, tipsDir } from './bin-harness.js';

afterAll(removeTipsDirs);

describe.each(databases)('tips submit scrubs attachments on $name (built bin)', ({ url }) => {
  it('removes EXIF and document properties before sealing, says so, and refuses a broken JPEG', async () => {
    const { dir, run, ok: cw } = await tipsDir('cw-scrub-', url);
    const keygen = spawnSync(process.execPath, [BIN, 'tips', 'keygen', '--out', 'alice'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(keygen.status, keygen.stderr).toBe(0);
    cw('recipients', 'add', 'alice.pub');

    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#336699' } })
      .jpeg()
      .withExif({ IFD0: { Artist: 'Wei Tan' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '1/1 27/1 0/1' } })
      .toBuffer();
    const docx = new JSZip();
    docx.file('[Content_Types].xml', '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>');
    docx.file('word/document.xml', '<w:document>the body</w:document>');
    docx.file(
      'docProps/core.xml',
      '<cp:coreProperties xmlns:dc="d"><dc:creator>Wei Tan</dc:creator></cp:coreProperties>',
    );
    writeFileSync(join(dir, 'report.txt'), 'Boards leave the Johor warehouse at night.\n');
    writeFileSync(join(dir, 'photo.jpg'), jpeg);
    writeFileSync(join(dir, 'memo.docx'), await docx.generateAsync({ type: 'uint8array' }));
    writeFileSync(join(dir, 'notes.bin'), 'kept exactly\n');

    // A malformed "JPEG" first: one line naming it, and no tip stored.
    writeFileSync(join(dir, 'broken.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2, 3]));
    const bad = run('submit', 'report.txt', '--attach', 'photo.jpg', '--attach', 'broken.jpg', '--json');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/broken\.jpg: looks like JPEG but could not be read, so its metadata cannot be removed/);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(cw('read', '--key', 'alice.key', '--json'))).toEqual([]);

    const sub = JSON.parse(
      cw('submit', 'report.txt', '--attach', 'photo.jpg', '--attach', 'memo.docx', '--attach', 'notes.bin', '--json'),
    );
    expect(sub.receipt.split(' ')).toHaveLength(12);
    expect(sub.submittedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(sub.attachments).toEqual([
      { name: 'photo.jpg', kind: 'image', removed: ['EXIF'] },
      { name: 'memo.docx', kind: 'office', removed: ['document property creator'] },
      { name: 'notes.bin', kind: 'other', removed: [], note: 'kept as is: no known metadata format' },
    ]);

    const [tip] = JSON.parse(cw('read', '--key', 'alice.key', '--json'));
    const got = Object.fromEntries(
      tip.attachments.map((a: { name: string; base64: string }) => [a.name, Buffer.from(a.base64, 'base64')]),
    );
    const photo = await sharp(got['photo.jpg']).metadata();
    expect([photo.format, photo.width, photo.height, photo.exif]).toEqual(['jpeg', 64, 48, undefined]);
    expect(got['photo.jpg'].toString('latin1')).not.toContain('Wei Tan');
    const memo = await JSZip.loadAsync(got['memo.docx']);
    expect(await memo.file('docProps/core.xml')!.async('string')).not.toContain('Wei Tan');
    expect(await memo.file('word/document.xml')!.async('string')).toBe('<w:document>the body</w:document>');
    expect(got['notes.bin'].toString()).toBe('kept exactly\n');

    // Without --json the tipster reads the same, one line per attachment.
    const text = cw('submit', 'report.txt', '--attach', 'photo.jpg', '--attach', 'notes.bin');
    expect(text).toMatch(/^attachment photo\.jpg: removed EXIF\nattachment notes\.bin: kept as is: no known metadata/);
  }, 120_000);
});

// The --server path: the CLI scrubs before it seals, so the server receives the clean file's ciphertext.
describe.each(backends)('tips submit --server scrubs attachments ($name, built bin)', (backend) => {
  let db: Db;
  let app: FastifyInstance;
  let base = '';
  const dir = mkdtempSync(join(tmpdir(), 'cw-scrub-http-'));
  const cw = async (...args: string[]) => {
    try {
      const r = await promisify(execFile)(process.execPath, [BIN, 'tips', ...args], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 60_000,
      });
      return { code: 0, out: r.stdout, err: r.stderr };
    } catch (e) {
      const x = e as { code: number; stdout: string; stderr: string };
      return { code: x.code, out: x.stdout, err: x.stderr };
    }
  };
  beforeAll(async () => {
    db = await backend.open();
    app = await buildApp({ db, rateLimitPerMinute: 100_000, logger: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    writeFileSync(join(dir, 'investigator.apikey'), (await createApiKey(db, { role: 'investigator' })).key);
    expect((await cw('keygen', '--out', 'alice')).code).toBe(0);
    const pub = decodePublicKey(readFileSync(join(dir, 'alice.pub'), 'utf8'), 'alice.pub');
    await addRecipient(db, pub.name, pub.publicKey, new Date().toISOString().slice(0, 10));
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends the scrubbed JPEG, and nothing at all when an attachment is malformed', async () => {
    writeFileSync(join(dir, 'report.txt'), 'Boards leave the Johor warehouse at night.\n');
    const jpeg = await sharp({ create: { width: 20, height: 10, channels: 3, background: '#123456' } })
      .jpeg()
      .withExif({ IFD0: { Artist: 'Wei Tan' } })
      .toBuffer();
    writeFileSync(join(dir, 'photo.jpg'), jpeg);
    writeFileSync(join(dir, 'broken.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xdb, 0, 4, 9]));
    const count = async () => Number((await db.query<{ n: string }>('select count(*) as n from tips'))[0].n);

    const bad = await cw('submit', 'report.txt', '--attach', 'broken.jpg', '--server', base, '--json');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/broken\.jpg: looks like JPEG but could not be read/);
    expect(await count()).toBe(0);

    const sub = await cw('submit', 'report.txt', '--attach', 'photo.jpg', '--server', base, '--json');
    expect(sub.code, sub.err).toBe(0);
    expect(JSON.parse(sub.out).attachments).toEqual([{ name: 'photo.jpg', kind: 'image', removed: ['EXIF'] }]);
    expect(await count()).toBe(1);
    const read = await cw(
      'read',
      '--key',
      'alice.key',
      '--server',
      base,
      '--api-key-file',
      'investigator.apikey',
      '--json',
    );
    expect(read.code, read.err).toBe(0);
    const [tip] = JSON.parse(read.out);
    const photo = Buffer.from(tip.attachments[0].base64, 'base64');
    const meta = await sharp(photo).metadata();
    expect([meta.width, meta.height, meta.exif]).toEqual([20, 10, undefined]);
    expect(photo.toString('latin1')).not.toContain('Wei Tan');
  }, 120_000);
});
