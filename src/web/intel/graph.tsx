// The network around an entity drawn with Cytoscape.js on a canvas: the picked entity in the centre and one ring a
// hop (layout.ts, the same picture on every load), with pan, zoom and drag. A tap on a link shows its reasons, a
// tap on an entity opens it. The canvas is a picture for the mouse; keyboard and screen-reader users have every
// link as a button in the page's list and every entity as a link. Cytoscape is loaded with this page only.
import { useEffect, useRef } from 'preact/hooks';
import type { Core, StylesheetJson } from 'cytoscape';
import { ringLayout } from './layout';
import type { LinkReason, Network, NetworkLink } from './types';

const short = (s: string) => (s.length > 22 ? `${s.slice(0, 21)}…` : s);

/**
 * Cytoscape puts a one-rule <style> element into the page's head unless an element with this id exists; the
 * CSP refuses inline styles, so style.css carries the rule (.__________cytoscape_container) and this marks it.
 */
const CYTOSCAPE_STYLESHEET_ID = '__________cytoscape_stylesheet';

function markStylesheet(): void {
  if (document.getElementById(CYTOSCAPE_STYLESHEET_ID)) return;
  const marker = document.createElement('meta');
  marker.id = CYTOSCAPE_STYLESHEET_ID;
  marker.name = 'cytoscape-stylesheet';
  marker.content = 'in style.css';
  document.head.append(marker);
}

// Colours as in style.css (--bad, --accent): Cytoscape draws on a canvas, so they are given here.
const STYLE: StylesheetJson = [
  {
    selector: 'node',
    style: { 'background-color': '#6b8fc7', width: 16, height: 16, 'border-width': 1.5, 'border-color': '#fff' },
  },
  { selector: 'node[hop = 0]', style: { 'background-color': '#b3261e', width: 24, height: 24 } },
  { selector: 'node[hop = 1]', style: { 'background-color': '#0b5cad' } },
  {
    selector: 'node[label]',
    style: { label: 'data(label)', 'font-size': 11, color: '#1b1f24', 'text-halign': 'right', 'text-margin-x': 4 },
  },
  { selector: 'edge', style: { width: 2.5, 'line-color': '#7c8896', 'curve-style': 'straight' } },
  { selector: 'edge[dashed = 1]', style: { 'line-style': 'dashed' } },
  { selector: 'edge.selected', style: { width: 5, 'line-color': '#b3261e' } },
];

export function NetworkGraph({
  net,
  selected,
  onLink,
  onEntity,
}: {
  net: Network;
  selected: string | null;
  onLink: (id: string) => void;
  onEntity: (id: string) => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const cy = useRef<Core | null>(null);
  const handlers = useRef({ onLink, onEntity, selected });
  handlers.current = { onLink, onEntity, selected };

  useEffect(() => {
    let live = true;
    void import('cytoscape').then(({ default: cytoscape }) => {
      if (!live || !box.current) return;
      markStylesheet();
      const at = new Map(ringLayout(net.nodes).map((n) => [n.id, n]));
      const caption = new Map(net.nodes.map((n) => [n.id, n.caption]));
      const labelled = net.nodes.length <= 40;
      const nodes = net.nodes.map((n) => ({
        data: { id: n.id, hop: Math.min(n.hop, 2), ...(labelled || n.hop === 0 ? { label: short(n.caption) } : {}) },
        position: { x: at.get(n.id)!.x, y: at.get(n.id)!.y },
      }));
      const edges = net.links
        .filter((l) => caption.has(l.source) && caption.has(l.target))
        .map((l) => ({
          data: {
            id: l.id,
            source: l.source,
            target: l.target,
            dashed: l.schema === 'SameAs' || l.schema === 'SharedIdentifier' ? 1 : 0,
          },
        }));
      const c = cytoscape({
        container: box.current,
        elements: [...nodes, ...edges],
        style: STYLE,
        layout: { name: 'preset', fit: true, padding: 30 },
        minZoom: 0.2,
        maxZoom: 4,
        wheelSensitivity: 0.3,
      });
      c.on('tap', 'edge', (e) => handlers.current.onLink(e.target.id()));
      c.on('tap', 'node', (e) => handlers.current.onEntity(e.target.id()));
      if (handlers.current.selected) c.getElementById(handlers.current.selected).addClass('selected');
      cy.current = c;
      box.current.dataset.ready = 'true';
    });
    return () => {
      live = false;
      cy.current?.destroy();
      cy.current = null;
    };
  }, [net]);

  useEffect(() => {
    const c = cy.current;
    if (box.current) box.current.dataset.selected = selected ?? '';
    if (!c) return;
    c.edges().removeClass('selected');
    if (selected) c.getElementById(selected).addClass('selected');
  }, [selected]);

  return (
    <div
      ref={box}
      class="network"
      role="img"
      aria-label={`network: ${net.nodes.length} entities, ${net.links.length} links; the same links and entities are listed beside it`}
      data-nodes={net.nodes.length}
      data-links={net.links.length}
    />
  );
}

function reasonText(r: LinkReason) {
  switch (r.kind) {
    case 'ftm': {
      const props = Object.entries(r.properties)
        .filter(([k]) => !['subject', 'object', 'owner', 'asset', 'director', 'organization', 'person'].includes(k))
        .map(([k, v]) => `${k}: ${v.join(', ')}`)
        .join('; ');
      const ref = r.originRef ? ` (${r.originRef})` : '';
      return `${r.schema} recorded by ${r.origin}${ref}${props ? ` · ${props}` : ''}`;
    }
    case 'evidence':
      return r.url ? (
        <>
          named together in{' '}
          <a href={r.url} rel="noreferrer noopener" target="_blank">
            {r.title}
          </a>
          {r.date ? ` (${r.date})` : ''}
        </>
      ) : (
        `named together in ${r.title}${r.date ? ` (${r.date})` : ''}`
      );
    case 'same-as':
      return `judged the same party (decision ${r.decisionId})`;
    default:
      return `share ${r.property} ${r.value}`;
  }
}

export function LinkReasons({ link, net }: { link: NetworkLink; net: Network }) {
  const name = (id: string) => net.nodes.find((n) => n.id === id)?.caption ?? id;
  return (
    <section aria-label="link reasons" class="card" data-testid="link-reasons">
      <h3>
        {name(link.source)} — {link.schema} — {name(link.target)}
      </h3>
      <ul>
        {link.reasons.map((r, i) => (
          <li key={i}>{reasonText(r)}</li>
        ))}
      </ul>
    </section>
  );
}
