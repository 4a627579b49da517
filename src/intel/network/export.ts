// Diagram export of a network for the tools analysts draw with: DOT (Graphviz) and GraphML (Gephi, yEd,
// Cytoscape). Text written here; each link keeps its schema and a one-line list of its reasons.
import type { LinkReason, Network } from './types.js';

export const DIAGRAM_FORMATS = ['dot', 'graphml'] as const;
export type DiagramFormat = (typeof DIAGRAM_FORMATS)[number];

export function reasonLine(r: LinkReason): string {
  switch (r.kind) {
    case 'ftm':
      return `${r.schema} (${r.origin}${r.originRef ? ` ${r.originRef}` : ''})`;
    case 'evidence':
      return `evidence ${r.evidenceId}: ${r.title}`;
    case 'same-as':
      return `same-as decision ${r.decisionId}`;
    case 'shared-identifier':
      return `same ${r.property}: ${r.value}`;
  }
}

const dotString = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;

export function toDot(n: Network): string {
  const out = ['digraph network {', '  node [shape=box];'];
  for (const node of n.nodes)
    out.push(`  ${dotString(node.id)} [label=${dotString(`${node.caption}\n${node.schema}`)}];`);
  for (const l of n.links) {
    const undirected = ['SameAs', 'SharedIdentifier', 'NamedTogether'].includes(l.schema)
      ? ', dir=none, style=dashed'
      : '';
    const label = l.reasons.map(reasonLine).join('\n');
    out.push(`  ${dotString(l.source)} -> ${dotString(l.target)} [label=${dotString(label)}${undirected}];`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}

// XML 1.0 allows no control characters but tab, newline and carriage return.
const xml = (s: string) =>
  s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

export function toGraphml(n: Network): string {
  const keys = [
    ['caption', 'node'],
    ['schema', 'node'],
    ['origin', 'node'],
    ['hop', 'node'],
    ['schema', 'edge'],
    ['reasons', 'edge'],
  ];
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
    ...keys.map(([k, f]) => `  <key id="${f}-${k}" for="${f}" attr.name="${k}" attr.type="string"/>`),
    '  <graph id="network" edgedefault="directed">',
  ];
  for (const node of n.nodes)
    out.push(
      `    <node id="${xml(node.id)}"><data key="node-caption">${xml(node.caption)}</data>` +
        `<data key="node-schema">${xml(node.schema)}</data><data key="node-origin">${xml(node.origin)}</data>` +
        `<data key="node-hop">${node.hop}</data></node>`,
    );
  for (const l of n.links)
    out.push(
      `    <edge id="${xml(l.id)}" source="${xml(l.source)}" target="${xml(l.target)}">` +
        `<data key="edge-schema">${xml(l.schema)}</data>` +
        `<data key="edge-reasons">${xml(l.reasons.map(reasonLine).join('; '))}</data></edge>`,
    );
  out.push('  </graph>', '</graphml>');
  return `${out.join('\n')}\n`;
}
