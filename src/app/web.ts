// Serves the built web application (dist/web): hashed assets cached for a year, index.html never cached and
// answered for page paths (the SPA fallback), all under a strict content security policy. API, docs and probe
// paths are never shadowed: they stay the API's own 404s.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Self only: no inline script, no third-party origin; WebAssembly may compile (the estimate worker). */
export const WEB_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * The application's page paths (src/web/access.ts names the same pages; test/app/web.test.ts checks they agree):
 * each, and anything under it (/chip/SERIAL), answers index.html. Any other path stays a 404, so the API, its
 * docs and the probes are never shadowed and a mistyped address is not a soft 200.
 */
export const PAGE_ROOTS = ['registry', 'diligence', 'map', 'chip', 'estimate', 'intel', 'tips'] as const;
const PAGE = new RegExp(`^/(${PAGE_ROOTS.join('|')})(/[^.]*)?$`);

interface WebFile {
  body: Buffer;
  type: string;
}

function readTree(dir: string): Map<string, WebFile> {
  const files = new Map<string, WebFile>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else
        files.set(`/${relative(dir, path).split(sep).join('/')}`, {
          body: readFileSync(path),
          type: TYPES[extname(name)] ?? 'application/octet-stream',
        });
    }
  };
  walk(dir);
  return files;
}

function securityHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', WEB_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer');
}

/**
 * Registers /assets/* and index.html from `dir` (read once, at start); returns the fallback the app's not-found
 * handler calls for a GET of a page path, or null when the web application was not built.
 */
export function serveWeb(
  app: FastifyInstance,
  dir: string,
): ((req: FastifyRequest, reply: FastifyReply) => FastifyReply | null) | null {
  let files: Map<string, WebFile>;
  try {
    files = readTree(dir);
  } catch {
    return null;
  }
  const index = files.get('/index.html');
  if (!index) return null;
  const sendIndex = (reply: FastifyReply) =>
    securityHeaders(reply).header('cache-control', 'no-cache').type(index.type).send(index.body);
  app.get('/', { config: { access: 'public' }, schema: { hide: true } }, async (_req, reply) => sendIndex(reply));
  app.get('/assets/*', { config: { access: 'public' }, schema: { hide: true } }, async (req, reply) => {
    const file = files.get(req.url.split('?')[0]);
    if (!file) return reply.callNotFound();
    return securityHeaders(reply)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .type(file.type)
      .send(file.body);
  });
  return (req, reply) => {
    const wantsPage = (req.method === 'GET' || req.method === 'HEAD') && PAGE.test(req.url.split('?')[0]);
    return wantsPage ? sendIndex(reply) : null;
  };
}
