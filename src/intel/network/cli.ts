// `chipwatch intel network|path|clusters` (and, through ../dossier/cli.ts, `timeline` and `dossier`): the
// network commands. The graph code loads on use, so other commands do not pay for graphology.
import { writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { withIntelDb } from '../evidence/open.js';
import { positiveInt, print, printJson } from '../../cli/io.js';
import { registerDossierCommands } from '../dossier/cli.js';
import type { IntelSettings } from '../settings.js';
import type { DiagramFormat } from './export.js';
import type { Network } from './types.js';

export const DATA_DIR_OPTION = ['--data-dir <dir>', 'data directory for the embedded database', '.chipwatch'] as const;

interface NetworkOptions {
  hops: number;
  limit: number;
  json?: boolean;
  format?: DiagramFormat;
  out?: string;
  dataDir: string;
}

function printNetwork(n: Network, reasonLine: (r: Network['links'][number]['reasons'][number]) => string): void {
  const caption = new Map(n.nodes.map((x) => [x.id, x.caption]));
  const more = n.truncated ? ' (truncated: raise --limit)' : '';
  print(`${n.nodes.length} entities, ${n.links.length} links within ${n.hops} hops${more}`);
  for (const x of n.nodes) print(`  [${x.hop}] ${x.id}  ${x.caption} (${x.schema}, ${x.origin})`);
  for (const l of n.links) {
    print(`  ${caption.get(l.source) ?? l.source} —${l.schema}→ ${caption.get(l.target) ?? l.target}`);
    for (const r of l.reasons) print(`      because: ${reasonLine(r)}`);
  }
}

async function networkCommand(settings: IntelSettings, refs: string[], o: NetworkOptions): Promise<void> {
  const { neighbourhood, resolveEntity } = await import('./network.js');
  const { networkSources } = await import('./sources.js');
  const { reasonLine, toDot, toGraphml } = await import('./export.js');
  const n = await withIntelDb(settings, o.dataDir, async (db) => {
    const roots = [];
    for (const r of refs) roots.push((await resolveEntity(db, r)).id);
    return neighbourhood(db, networkSources(db), roots, { hops: o.hops, limit: o.limit });
  });
  const text = o.format === 'dot' ? toDot(n) : o.format === 'graphml' ? toGraphml(n) : null;
  if (text !== null && o.out) {
    writeFileSync(o.out, text);
    print(
      `wrote ${n.nodes.length} entities and ${n.links.length} links to ${o.out}${n.truncated ? ' (truncated)' : ''}`,
    );
  } else if (text !== null) process.stdout.write(text);
  else if (o.json) printJson(n);
  else printNetwork(n, reasonLine);
}

async function pathCommand(
  settings: IntelSettings,
  from: string,
  to: string,
  o: { maxHops: number; limit: number; weighted?: boolean; json?: boolean; dataDir: string },
): Promise<void> {
  const { resolveEntity } = await import('./network.js');
  const { shortestPath } = await import('./path.js');
  const { networkSources } = await import('./sources.js');
  const { reasonLine } = await import('./export.js');
  const p = await withIntelDb(settings, o.dataDir, async (db) => {
    const a = await resolveEntity(db, from, 'from');
    const b = await resolveEntity(db, to, 'to');
    return shortestPath(db, networkSources(db), a.id, b.id, {
      maxHops: o.maxHops,
      weighted: o.weighted ?? false,
      limit: o.limit,
    });
  });
  if (o.json) return printJson(p);
  if (!p.found) return print(p.message ?? 'no path');
  const caption = new Map(p.nodes.map((x) => [x.id, x.caption]));
  print(`${p.steps.length} steps (${p.method}${p.weighted ? `; cost ${p.cost}` : ''})`);
  for (const s of p.steps) {
    print(`  ${caption.get(s.from)} → ${caption.get(s.to)}`);
    for (const l of s.links) for (const r of l.reasons) print(`      ${l.schema}: ${reasonLine(r)}`);
  }
}

async function clustersCommand(settings: IntelSettings, o: { top: number; json?: boolean; dataDir: string }) {
  const { findClusters } = await import('./clusters.js');
  const { networkSources } = await import('./sources.js');
  const r = await withIntelDb(settings, o.dataDir, (db) =>
    findClusters(db, networkSources(db), { top: o.top, now: new Date() }),
  );
  if (o.json) return printJson(r);
  print(`${r.candidates} candidate clusters; the top ${r.clusters.length}:`);
  for (const c of r.clusters) {
    const more = c.members.length > 10 ? `, and ${c.members.length - 10} more` : '';
    print(
      `#${c.rank}  score ${c.score}: ${c.members
        .slice(0, 10)
        .map((m) => m.caption)
        .join(', ')}${more}`,
    );
    for (const why of c.reasons) {
      print(`    ${why.kind} ×${why.count} (weight ${why.weight}, ${why.points} points)`);
      for (const d of why.details) print(`      ${d}`);
    }
  }
}

export function registerNetworkCommands(intel: Command, settings: IntelSettings): void {
  intel
    .command('network')
    .description('the entities within N hops of one or more entities, and why each link exists')
    .argument('<entity...>', 'entity ids (or a caption only one entity has)')
    .option('--hops <n>', 'hops from the entities (1 to 6)', positiveInt('--hops', 6), 2)
    .option('--limit <n>', 'at most this many entities (1 to 10000)', positiveInt('--limit', 10_000), 500)
    .option('--json', 'print JSON: roots, nodes, links with their reasons, truncated')
    .addOption(
      new Option('--format <format>', 'a diagram instead: Graphviz DOT or GraphML').choices(['dot', 'graphml']),
    )
    .option('--out <file>', 'write the diagram to this file')
    .option(...DATA_DIR_OPTION)
    .action((refs: string[], o: NetworkOptions) => networkCommand(settings, refs, o));
  intel
    .command('path')
    .description('the shortest path between two entities, with the reason for each step')
    .argument('<from>', 'entity id (or a caption only one entity has)')
    .argument('<to>', 'entity id (or a caption only one entity has)')
    .option('--max-hops <n>', 'give up beyond this many links (1 to 6)', positiveInt('--max-hops', 6), 4)
    .option('--limit <n>', 'at most this many entities read per side', positiveInt('--limit', 10_000), 2000)
    .option('--weighted', 'cheapest path by link strength instead of fewest links')
    .option('--json', 'print JSON')
    .option(...DATA_DIR_OPTION)
    .action((from: string, to: string, o) => pathCommand(settings, from, to, o));
  intel
    .command('clusters')
    .description('candidate shell or front-company clusters, ranked, each with its reasons and their weights')
    .option('--top <n>', 'how many clusters to show', positiveInt('--top', 1000), 10)
    .option('--json', 'print JSON')
    .option(...DATA_DIR_OPTION)
    .action((o: { top: number; json?: boolean; dataDir: string }) => clustersCommand(settings, o));
  registerDossierCommands(intel, settings);
}
