// A small world of entities and links for the network tests, written through the entities store (so the
// identifiers the resolution area derives are there too). Distances from c-alpha: c-beta 1 (same phone),
// p-lim 1 (director), c-gamma 2, c-delta 3, c-eps 4 (same e-mail as c-delta), c-far 5; c-iso none.
import type { Queryable } from '../../src/db/index.js';
import { insertLinks, upsertEntities, type Entity, type Link } from '../../src/intel/entities/store.js';

const daysAgo = (now: Date, d: number) => new Date(now.getTime() - d * 86_400_000).toISOString().slice(0, 10);

export function worldEntities(now: Date): Entity[] {
  const co = (id: string, caption: string, props: Record<string, string[]>): Entity => ({
    id,
    schema: 'Company',
    caption,
    properties: { name: [caption], ...props },
    origin: 'analyst',
    originRef: null,
  });
  return [
    co('c-alpha', 'Alpha Compute Sdn Bhd', {
      country: ['my'],
      incorporationDate: [daysAgo(now, 200)],
      phone: ['+60 3-2141 0000'],
    }),
    co('c-beta', 'Beta Servers Sdn Bhd', {
      country: ['my'],
      incorporationDate: [daysAgo(now, 100)],
      phone: ['603 2141 0000'],
    }),
    co('c-gamma', 'Gamma Trading Ltd', { country: ['hk'], incorporationDate: ['2009-05-01'] }),
    co('c-delta', 'Delta Tech (HK) Ltd', { country: ['hk'], email: ['sales@delta-tech.hk'] }),
    co('c-eps', 'Epsilon Ltd', { country: ['hk'], email: ['Sales@Delta-Tech.hk'] }),
    co('c-far', 'Far Corp', { country: ['us'] }),
    co('c-iso', 'Isolated GmbH', { country: ['de'] }),
    {
      id: 'p-lim',
      schema: 'Person',
      caption: 'Lim Wei',
      properties: { name: ['Lim Wei'] },
      origin: 'analyst',
      originRef: null,
    },
  ];
}

export function worldLinks(): Link[] {
  const link = (id: string, schema: string, s: string, t: string, props: Record<string, string[]> = {}): Link => ({
    id,
    schema,
    sourceId: s,
    targetId: t,
    properties: props,
    origin: 'analyst',
    originRef: `note-${id}`,
  });
  return [
    link('l-dir-alpha', 'Directorship', 'p-lim', 'c-alpha', { role: ['director'], startDate: ['2024-03-01'] }),
    link('l-dir-gamma', 'Directorship', 'p-lim', 'c-gamma', { role: ['director'] }),
    link('l-own-delta', 'Ownership', 'c-gamma', 'c-delta', { percentage: ['100'] }),
    link('l-own-far', 'Ownership', 'c-eps', 'c-far', { percentage: ['51'] }),
  ];
}

export async function writeWorld(q: Queryable, now: Date): Promise<void> {
  await upsertEntities(q, worldEntities(now), now);
  await insertLinks(q, worldLinks(), now);
}
