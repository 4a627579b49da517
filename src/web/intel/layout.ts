// Where the network graph puts each entity: rings around the picked entity, one ring a hop, evenly spread, so the
// drawing is the same on every load and needs no physics (pure; the SVG component only draws it).
export interface LaidNode {
  id: string;
  hop: number;
  x: number;
  y: number;
}

export const SIZE = 640;
const RING = 130;

export function ringLayout(nodes: readonly { id: string; hop: number }[]): LaidNode[] {
  const byHop = new Map<number, { id: string; hop: number }[]>();
  for (const n of nodes) byHop.set(n.hop, [...(byHop.get(n.hop) ?? []), n]);
  const centre = SIZE / 2;
  const out: LaidNode[] = [];
  for (const [hop, ring] of [...byHop].sort((a, b) => a[0] - b[0])) {
    const r = Math.min(hop * RING, centre - 30);
    // Several roots share the centre ring at a small radius; later rings turn by half a step to avoid collinearity.
    const radius = hop === 0 && ring.length > 1 ? 40 : r;
    ring.forEach((n, i) => {
      const angle = (2 * Math.PI * (i + (hop % 2) * 0.5)) / ring.length;
      out.push({ id: n.id, hop, x: centre + radius * Math.cos(angle), y: centre + radius * Math.sin(angle) });
    });
  }
  return out;
}
