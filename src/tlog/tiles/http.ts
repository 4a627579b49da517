// C2SP tlog-tiles over HTTP, read-only, under /api/log/tiles/: `checkpoint` (the published one),
// `tile/<L>/<N>[.p/<W>]` and `tile/entries/<N>[.p/<W>]`. Full tiles never change (cached for a year);
// partial tiles and the checkpoint are cached for seconds. A tile beyond the published size is 404.
import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../../errors.js';
import type { AppContext } from '../../http/context.js';
import { publishedCheckpoint, type PublishedCheckpoint, type WitnessPolicy } from '../publish.js';
import { parseTilePath, TILE_WIDTH, tileInTree } from './paths.js';
import { readTile } from './source.js';

const READERS = ['auditor', 'regulator'] as const;
const IMMUTABLE = 'private, max-age=31536000, immutable';
const SHORT = 'private, max-age=5';

export function registerTileRoutes(
  app: FastifyInstance,
  ctx: AppContext,
  /** The published checkpoint (publishing a new one first when the log grew and it may). */
  current: () => Promise<PublishedCheckpoint>,
  policy: WitnessPolicy | undefined,
): void {
  const schema = { tags: ['log'] };
  app.get(
    '/log/tiles/checkpoint',
    {
      config: { access: READERS },
      schema: { ...schema, summary: 'The published checkpoint as text (C2SP tlog-tiles <prefix>/checkpoint)' },
    },
    async (_req, reply) => {
      const cp = await current();
      return reply.header('content-type', 'text/plain; charset=utf-8').header('cache-control', SHORT).send(cp.note);
    },
  );
  app.get(
    '/log/tiles/tile/*',
    {
      config: { access: READERS },
      schema: {
        ...schema,
        summary: 'A hash tile tile/<L>/<N>[.p/<W>] or an entry bundle tile/entries/<N>[.p/<W>] (C2SP tlog-tiles)',
      },
    },
    async (req, reply) => {
      const t = parseTilePath(`tile/${(req.params as { '*': string })['*']}`);
      const cp = await publishedCheckpoint(ctx.db, policy);
      if (!cp || !tileInTree(t, cp.treeSize))
        throw new NotFoundError('no such tile in the published tree', { field: 'path' });
      const bytes = await readTile(ctx.db, t);
      return reply
        .header('content-type', 'application/octet-stream')
        .header('cache-control', t.width === TILE_WIDTH ? IMMUTABLE : SHORT)
        .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    },
  );
}
