// The layering of docs/architecture.md, checked on the source: toolkits below domains, one assembler
// (src/app/) above them, no cycle between folders, a domain reaching another only through its index, and
// the environment read only by the assembler.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '../../src');

/** Layer of each top-level entry of src/: 0 base helpers, 1 toolkits, 2 domains, 3 the assembler and the web app. */
const LAYER: Record<string, number> = {
  'errors.ts': 0,
  'calendar.ts': 0,
  'paths.ts': 0,
  db: 1,
  http: 1,
  cli: 1,
  tabular: 1,
  geo: 1,
  accounts: 2,
  estimate: 2,
  registry: 2,
  tlog: 2,
  verify: 2,
  screening: 2,
  tips: 2,
  intel: 2,
  app: 3,
  web: 3,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

interface Edge {
  from: string;
  to: string;
  fromTop: string;
  toTop: string;
}

/** Every relative import and import() of src/, static or lazy, type-only included. */
function edges(): Edge[] {
  const out: Edge[] = [];
  const spec = /(?:from\s+|import\s*\(\s*|^import\s+)'(\.[^']+)'/gm;
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(spec)) {
      const target = resolve(dirname(file), m[1]).replace(/\.js$/, '.ts');
      const from = relative(SRC, file);
      const to = relative(SRC, target);
      if (to.startsWith('..')) continue;
      out.push({ from, to, fromTop: from.split('/')[0], toTop: to.split('/')[0] });
    }
  }
  return out;
}

describe('the house (docs/architecture.md)', () => {
  const all = edges();
  const across = all.filter((e) => e.fromTop !== e.toTop);

  it('places every top-level entry of src/ in a layer', () => {
    const tops = readdirSync(SRC);
    expect(tops.filter((t) => LAYER[t] === undefined)).toEqual([]);
  });

  it('never imports from a lower layer to a higher one, nor across toolkits or base helpers upward', () => {
    const upward = across.filter((e) => LAYER[e.toTop] > LAYER[e.fromTop]);
    expect(upward.map((e) => `${e.from} -> ${e.to}`)).toEqual([]);
  });

  it('has no cycle between top-level folders', () => {
    const graph = new Map<string, Set<string>>();
    for (const e of across) graph.set(e.fromTop, (graph.get(e.fromTop) ?? new Set()).add(e.toTop));
    const cycles: string[] = [];
    const visit = (node: string, path: string[]) => {
      for (const next of graph.get(node) ?? []) {
        if (next === path[0]) cycles.push([...path, next].join(' -> '));
        else if (!path.includes(next)) visit(next, [...path, next]);
      }
    };
    for (const node of graph.keys()) visit(node, [node]);
    expect(cycles).toEqual([]);
  });

  it('lets a domain reach another domain only through its index.ts', () => {
    const deep = across.filter((e) => LAYER[e.fromTop] === 2 && LAYER[e.toTop] === 2 && e.to !== `${e.toTop}/index.ts`);
    expect(deep.map((e) => `${e.from} -> ${e.to}`)).toEqual([]);
  });

  it('reads process.env only in the assembler', () => {
    const readers = sourceFiles(SRC)
      .filter((f) => !relative(SRC, f).startsWith('app/'))
      .filter((f) => /process\.env\b/.test(readFileSync(f, 'utf8').replace(/\/\/.*$/gm, '')));
    expect(readers.map((f) => relative(SRC, f))).toEqual([]);
  });
});
