// The network around an entity drawn as SVG (the CSP allows no inline style, so colours come from classes):
// a click on a link shows its reasons, a click on an entity opens it. The drawing is a picture for the mouse;
// keyboard and screen-reader users have every link as a button in the page's list and every entity as a link.
import { ringLayout, SIZE } from './layout';
import type { LinkReason, Network, NetworkLink } from './types';

const short = (s: string) => (s.length > 22 ? `${s.slice(0, 21)}…` : s);

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
  const at = new Map(ringLayout(net.nodes).map((n) => [n.id, n]));
  const caption = new Map(net.nodes.map((n) => [n.id, n.caption]));
  const labelled = net.nodes.length <= 40;
  const click = (e: MouseEvent) => {
    const hit = (e.target as Element).closest('[data-link], [data-entity]');
    const link = hit?.getAttribute('data-link');
    const entity = hit?.getAttribute('data-entity');
    if (link) onLink(link);
    else if (entity) onEntity(entity);
  };
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the same actions are buttons and links beside the drawing
    <svg
      class="network"
      viewBox={`0 0 ${SIZE} ${SIZE}`}
      role="img"
      onClick={click}
      aria-label={`network: ${net.nodes.length} entities, ${net.links.length} links`}
      data-nodes={net.nodes.length}
      data-links={net.links.length}
    >
      {net.links.map((l) => {
        const a = at.get(l.source);
        const b = at.get(l.target);
        if (!a || !b) return null;
        return (
          <line
            key={l.id}
            data-link={l.id}
            class={`edge edge-${l.schema}${selected === l.id ? ' selected' : ''}`}
            x1={a.x}
            y1={a.y}
            x2={b.x}
            y2={b.y}
          >
            <title>{`${caption.get(l.source)} — ${l.schema} — ${caption.get(l.target)}`}</title>
          </line>
        );
      })}
      {net.nodes.map((n) => {
        const p = at.get(n.id)!;
        return (
          <g key={n.id} class={`node hop-${Math.min(n.hop, 2)}`} data-entity={n.id}>
            <circle cx={p.x} cy={p.y} r={n.hop === 0 ? 12 : 8} />
            <title>{`${n.caption} (${n.schema})`}</title>
            {(labelled || n.hop === 0) && (
              <text x={p.x + 12} y={p.y + 4}>
                {short(n.caption)}
              </text>
            )}
          </g>
        );
      })}
    </svg>
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
