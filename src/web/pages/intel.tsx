// The Intelligence page: serial alerts with their evidence, an entity search, and for a picked entity its network
// (analysts), its timeline and its dossier (analysts and regulators, as the API allows).
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import type { Role } from '../access';
import { follow, navigate } from '../router';
import { Show, Table, useLoad } from '../ui/table';
import { LinkReasons, NetworkGraph } from '../intel/graph';
import { downloadDossier } from '../intel/dossier';
import type { Entity, IntelAlert, Network, Timeline, TimelineEvent } from '../intel/types';

const mayMap = (role: Role) => role === 'analyst' || role === 'admin';
const entityHref = (id: string) => `/intel/${encodeURIComponent(id)}`;

function Source({ href, text }: { href: string | null | undefined; text: string }) {
  return href ? (
    <a href={href} rel="noreferrer noopener" target="_blank">
      {text}
    </a>
  ) : (
    text
  );
}

/** An alert's acknowledgements, or a note and a button to add one (appended; the alert itself stays). */
function Acknowledge({ alert, onDone }: { alert: IntelAlert; onDone: () => void }) {
  const [note, setNote] = useState('');
  const [error, setError] = useState('');
  if (alert.acknowledgements.length > 0)
    return (
      <>
        {alert.acknowledgements.map((k) => (
          <div key={k.at}>
            acknowledged {k.at.slice(0, 10)} by {k.by}: {k.note}
          </div>
        ))}
      </>
    );
  const send = async (e: Event) => {
    e.preventDefault();
    try {
      await api(`/intel/alerts/${encodeURIComponent(alert.id)}/acknowledge`, { method: 'POST', json: { note } });
      onDone();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  };
  return (
    <form class="inline" onSubmit={send}>
      <label class="sr-only" for={`ack-${alert.id}`}>
        note for alert {alert.serial}
      </label>
      <input
        id={`ack-${alert.id}`}
        value={note}
        required
        placeholder="what was done"
        onInput={(e) => setNote((e.target as HTMLInputElement).value)}
      />
      <button type="submit">Acknowledge</button>
      {error && (
        <span role="alert" class="error">
          {error}
        </span>
      )}
    </form>
  );
}

function Alerts({ role }: { role: Role }) {
  const [openOnly, setOpenOnly] = useState(false);
  const [alerts, reload] = useLoad(
    () => api<IntelAlert[]>(`/intel/alerts?limit=50${openOnly ? '&open=true' : ''}`),
    [openOnly],
  );
  return (
    <>
      <label class="check">
        <input
          type="checkbox"
          checked={openOnly}
          onChange={(e) => setOpenOnly((e.target as HTMLInputElement).checked)}
        />{' '}
        only alerts nobody has acknowledged
      </label>
      <Show loaded={alerts}>
        {(as) => (
          <>
            <Table
              caption={`Serial alerts (${as.length} newest${openOnly ? ', open' : ''})`}
              rows={as}
              empty="No serial alert."
              columns={[
                ['Raised', (a) => a.raisedAt.slice(0, 10)],
                ['Kind', (a) => a.kind],
                [
                  'Serial',
                  (a) =>
                    role === 'regulator' || role === 'admin' ? (
                      <a href={`/chip/${encodeURIComponent(a.serial)}`} onClick={follow}>
                        {a.serial}
                      </a>
                    ) : (
                      a.serial
                    ),
                ],
                ['Reason', (a) => a.reason],
                [
                  'Registry',
                  (a) =>
                    a.registry.filed
                      ? `filing ${a.registry.filingId ?? '—'} · ${a.registry.owner ?? '—'} · ${a.registry.country ?? '—'}`
                      : 'not filed',
                ],
                [
                  'Party',
                  (a) =>
                    a.entityId ? (
                      <a href={entityHref(a.entityId)} onClick={follow}>
                        {a.entity ?? a.entityId}
                      </a>
                    ) : (
                      (a.entity ?? '—')
                    ),
                ],
                [
                  'Evidence',
                  (a) =>
                    a.evidence.map((e) => (
                      <div key={e.id}>
                        {e.date} {e.title} · <Source href={e.source.url} text={e.source.title} />
                      </div>
                    )),
                ],
                ['Acknowledged', (a) => <Acknowledge alert={a} onDone={reload} />],
              ]}
            />
          </>
        )}
      </Show>
    </>
  );
}

function EntitySearch() {
  const [q, setQ] = useState('');
  const [asked, setAsked] = useState('');
  const [found] = useLoad(
    () =>
      api<{ entities: Entity[] }>(`/intel/entities?limit=25&q=${encodeURIComponent(asked)}`).then((r) => r.entities),
    [asked],
  );
  return (
    <section aria-labelledby="entities-h">
      <h2 id="entities-h">Entities</h2>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setAsked(q.trim());
        }}
      >
        <label>
          Name contains
          <input id="entity-q" value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit">Search</button>
      </form>
      <Show loaded={found}>
        {(es) => (
          <Table
            caption={asked ? `Entities matching “${asked}”` : 'Entities'}
            rows={es}
            empty="No entity matches."
            columns={[
              [
                'Name',
                (e) => (
                  <a href={entityHref(e.id)} onClick={follow}>
                    {e.caption}
                  </a>
                ),
              ],
              ['Schema', (e) => e.schema],
              ['Origin', (e) => e.origin],
            ]}
          />
        )}
      </Show>
    </section>
  );
}

function NetworkView({ id }: { id: string }) {
  const [net] = useLoad(() => api<Network>(`/intel/entities/${encodeURIComponent(id)}/network?hops=2&limit=60`), [id]);
  const [link, setLink] = useState<string | null>(null);
  return (
    <section aria-labelledby="network-h">
      <h2 id="network-h">Network (two hops)</h2>
      <Show loaded={net}>
        {(n) => {
          const chosen = n.links.find((l) => l.id === link);
          return (
            <div class="network-view">
              <NetworkGraph net={n} selected={link} onLink={setLink} onEntity={(e) => navigate(entityHref(e))} />
              <div>
                {n.truncated && <p class="warn">Only the nearest {n.nodes.length} entities are drawn.</p>}
                {chosen ? <LinkReasons link={chosen} net={n} /> : <p class="hint">Pick a link for its reasons.</p>}
                <p>
                  Entities drawn:{' '}
                  {n.nodes
                    .filter((x) => x.hop > 0)
                    .map((x, i) => (
                      <span key={x.id}>
                        {i ? ', ' : ''}
                        <a href={entityHref(x.id)} onClick={follow}>
                          {x.caption}
                        </a>
                      </span>
                    ))}
                </p>
                <Table
                  caption="Links"
                  rows={n.links}
                  empty="No link."
                  columns={[
                    [
                      'Link',
                      (l) => (
                        <button type="button" class="secondary" onClick={() => setLink(l.id)}>
                          {n.nodes.find((x) => x.id === l.source)?.caption} — {l.schema} —{' '}
                          {n.nodes.find((x) => x.id === l.target)?.caption}
                        </button>
                      ),
                    ],
                    ['Reasons', (l) => l.reasons.length],
                  ]}
                />
              </div>
            </div>
          );
        }}
      </Show>
    </section>
  );
}

function eventSource(e: TimelineEvent) {
  const s = e.source;
  if (s.kind === 'evidence') return <Source href={s.url} text={s.title ?? s.evidenceId ?? 'evidence'} />;
  if (s.kind === 'filing') return `filing ${s.filingId}`;
  return s.url ? <Source href={s.url} text={s.kind} /> : s.kind;
}

function EntityView({ id, role }: { id: string; role: Role }) {
  const [entity] = useLoad(() => api<{ entity: Entity }>(`/intel/entities/${encodeURIComponent(id)}`), [id]);
  const [timeline] = useLoad(() => api<Timeline>(`/intel/entities/${encodeURIComponent(id)}/timeline`), [id]);
  const [download, setDownload] = useState<string | null>(null);
  const save = (format: 'md' | 'json') =>
    downloadDossier(id, format).then(
      () => setDownload(null),
      (e) => setDownload(e instanceof ApiError ? e.message : String(e)),
    );
  return (
    <>
      <Show loaded={entity}>
        {({ entity: e }) => (
          <section aria-labelledby="entity-h" class="card">
            <h2 id="entity-h" data-testid="entity-caption">
              {e.caption}
            </h2>
            <p>
              {e.schema} · from {e.origin} · <code>{e.id}</code>
            </p>
            <p>
              Dossier:{' '}
              <button type="button" onClick={() => save('md')}>
                Download Markdown
              </button>{' '}
              <button type="button" class="secondary" onClick={() => save('json')}>
                Download JSON
              </button>
            </p>
            {download && (
              <p role="alert" class="error">
                {download}
              </p>
            )}
          </section>
        )}
      </Show>
      {mayMap(role) && <NetworkView id={id} />}
      <section aria-labelledby="timeline-h">
        <h2 id="timeline-h">Timeline</h2>
        <Show loaded={timeline}>
          {(t) => (
            <>
              {t.truncated && <p class="warn">{t.truncated}</p>}
              <Table
                caption="Events, oldest first"
                rows={t.events}
                empty="No dated event."
                columns={[
                  ['Date', (e) => e.date ?? 'undated'],
                  ['Kind', (e) => e.kind],
                  ['Summary', (e) => e.summary],
                  ['Source', eventSource],
                ]}
              />
            </>
          )}
        </Show>
      </section>
    </>
  );
}

export function IntelPage({ role, entity }: { role: Role; entity: string }) {
  return (
    <main id="main">
      <h1>Intelligence</h1>
      {entity ? (
        <>
          <p>
            <a href="/intel" onClick={follow}>
              ← alerts and entities
            </a>
          </p>
          <EntityView id={entity} role={role} />
        </>
      ) : (
        <>
          <section aria-label="serial alerts">
            <Alerts role={role} />
          </section>
          <EntitySearch />
        </>
      )}
    </main>
  );
}
