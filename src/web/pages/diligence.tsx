// The Due diligence page: screen a name (each match explained alias by alias), screen a batch from a CSV file,
// diligence cases on the study's Figure 9 steps with their checklists and audit trails, and the re-screening
// alerts list updates raised for known parties.
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import type { Role } from '../access';
import { checklistFor } from '../../screening/cases/checklist';
import { Show, Table, useLoad } from '../ui/table';
import { parseParties } from './parties-csv';

interface Match {
  entryId: string;
  list: string;
  name: string;
  matchedName: string;
  score: number;
  explanation: string;
  aliases: { name: string; alias: boolean; score: number; words: { query: string; listed: string; how: string }[] }[];
}
interface Screened {
  query: { name: string; country?: string };
  decision: 'clear' | 'review' | 'match';
  matches: Match[];
}
interface CaseRow {
  id: number;
  state: string;
  risk: string | null;
  subjectName: string;
  country: string | null;
  businessType?: string;
  checklist: Record<string, { outcome: string; note: string; by: string }>;
  verifications: { kind: string; dueAt: string; status: string }[];
  hits?: { id: string; kind: string; party: string; detail: string; resolution?: unknown }[];
  updatedAt: string;
}
interface CaseEvent {
  seq: number;
  at: string;
  actor: string;
  action: string;
  fromState: string | null;
  toState: string;
  reason: string;
}

const STEPS = ['initial-assessment', 'enhanced-vetting', 'mitigation', 'approved', 'post-shipment', 'closed'];

function decisionClass(d: string): string {
  return d === 'match' ? 'error' : d === 'review' ? 'warn' : 'ok';
}

function ScreenResult({ r }: { r: Screened }) {
  return (
    <div>
      <p>
        <strong>{r.query.name}</strong>: <span class={decisionClass(r.decision)}>{r.decision}</span>
      </p>
      {r.matches.slice(0, 5).map((m) => (
        <div key={m.entryId} class="card">
          <p>
            {m.list} <strong>{m.name}</strong> — score {m.score.toFixed(2)}. {m.explanation}
          </p>
          <Table
            caption={`Aliases of ${m.name}`}
            rows={m.aliases}
            columns={[
              ['Name on the list', (a) => `${a.name}${a.alias ? ' (alias)' : ''}`],
              ['Score', (a) => a.score.toFixed(2)],
              ['Words', (a) => a.words.map((w) => `${w.query}→${w.listed} (${w.how})`).join(', ')],
            ]}
          />
        </div>
      ))}
    </div>
  );
}

function Screen() {
  const [name, setName] = useState('');
  const [country, setCountry] = useState('');
  const [result, setResult] = useState<Screened | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      setResult(await api<Screened>('/screen', { method: 'POST', json: { name, ...(country ? { country } : {}) } }));
    } catch (err) {
      setResult(null);
      setError(err instanceof ApiError ? err.message : String(err));
    }
  };
  return (
    <section class="card" aria-labelledby="screen-h">
      <h2 id="screen-h">Screen a name</h2>
      <form class="filters" onSubmit={submit}>
        <label>
          Name
          <input name="name" required value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          Country
          <input name="country" value={country} onInput={(e) => setCountry((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit">Screen</button>
      </form>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {result && <ScreenResult r={result} />}
    </section>
  );
}

function Batch() {
  const [rows, setRows] = useState<Screened[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const send = async (file: File) => {
    setError(null);
    try {
      const parties = parseParties(await file.text());
      const r = await api<{ results: Screened[] }>('/screen', { method: 'POST', json: { parties } });
      setRows(r.results);
    } catch (err) {
      setRows(null);
      setError(err instanceof ApiError || err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <section class="card" aria-labelledby="batch-h">
      <h2 id="batch-h">Batch screening</h2>
      <label>
        A CSV file with a header row <code>name,country</code>{' '}
        <input
          type="file"
          accept=".csv"
          onChange={(e) => {
            const f = (e.target as HTMLInputElement).files?.[0];
            if (f) void send(f);
          }}
        />
      </label>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {rows && (
        <Table
          caption={`${rows.length} parties screened`}
          rows={rows}
          columns={[
            ['Name', (r) => r.query.name],
            ['Country', (r) => r.query.country ?? ''],
            ['Decision', (r) => <span class={decisionClass(r.decision)}>{r.decision}</span>],
            ['Best match', (r) => (r.matches[0] ? `${r.matches[0].list}: ${r.matches[0].name}` : '')],
          ]}
        />
      )}
    </section>
  );
}

function Steps({ state }: { state: string }) {
  const at = STEPS.indexOf(state);
  return (
    <ol class="steps" aria-label="workflow steps">
      {STEPS.map((s, i) => (
        <li
          key={s}
          class={s === state ? 'current' : i < at ? 'done' : ''}
          aria-current={s === state ? 'step' : undefined}
        >
          {s.replace('-', ' ')}
        </li>
      ))}
      {state === 'cancelled' && <li class="current">cancelled</li>}
    </ol>
  );
}

function CaseDetail({ id, writer, onChanged }: { id: number; writer: boolean; onChanged: () => void }) {
  const [loaded, reload] = useLoad(() => api<{ case: CaseRow; events: CaseEvent[] }>(`/cases/${id}`), [id]);
  const [error, setError] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const act = async (action: Record<string, unknown>) => {
    setError(null);
    try {
      await api(`/cases/${id}/actions`, { method: 'POST', json: { ...action, reason: reason.trim() || 'web' } });
      setReason('');
      reload();
      onChanged();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };
  return (
    <Show loaded={loaded}>
      {({ case: c, events }) => (
        <section class="card" aria-labelledby="case-h">
          <h2 id="case-h">
            Case {c.id}: {c.subjectName} {c.country ? `(${c.country})` : ''}
          </h2>
          <Steps state={c.state} />
          <p>
            Risk: {c.risk ?? 'not assessed'} · state <strong data-testid="case-state">{c.state}</strong>
          </p>
          {(c.hits ?? []).length > 0 && (
            <Table
              caption="Hits"
              rows={c.hits ?? []}
              columns={[
                ['Hit', (h) => h.id],
                ['Kind', (h) => h.kind],
                ['Party', (h) => h.party],
                ['Detail', (h) => h.detail],
                ['Resolved', (h) => (h.resolution ? 'yes' : 'no')],
              ]}
            />
          )}
          <Table
            caption="Enhanced-vetting checklist"
            rows={[...checklistFor(c.businessType)]}
            columns={[
              ['Item', (i) => i.title],
              ['Outcome', (i) => c.checklist[i.id]?.outcome ?? '—'],
              [
                'Record',
                (i) =>
                  writer && c.state === 'enhanced-vetting' ? (
                    <span>
                      <button type="button" onClick={() => act({ action: 'check', item: i.id, outcome: 'ok' })}>
                        ok<span class="sr-only"> {i.id}</span>
                      </button>{' '}
                      <button
                        type="button"
                        class="secondary"
                        onClick={() => act({ action: 'check', item: i.id, outcome: 'concern' })}
                      >
                        concern<span class="sr-only"> {i.id}</span>
                      </button>
                    </span>
                  ) : (
                    ''
                  ),
              ],
            ]}
          />
          {writer && (
            <div class="filters">
              <label>
                Reason (recorded in the audit trail)
                <input value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
              </label>
              {c.state === 'initial-assessment' && (
                <>
                  <button type="button" onClick={() => act({ action: 'assess', risk: 'high' })}>
                    Assess: high risk
                  </button>
                  <button type="button" onClick={() => act({ action: 'assess', risk: 'low' })}>
                    Assess: low risk
                  </button>
                </>
              )}
              {c.state === 'enhanced-vetting' && (
                <button type="button" onClick={() => act({ action: 'complete-vetting' })}>
                  Complete vetting
                </button>
              )}
              {c.state === 'mitigation' && (
                <>
                  <button
                    type="button"
                    onClick={() => act({ action: 'decide', decision: 'staged-delivery', stages: 2 })}
                  >
                    Decide: staged delivery
                  </button>
                  <button type="button" onClick={() => act({ action: 'decide', decision: 'cancel' })}>
                    Decide: cancel
                  </button>
                </>
              )}
              {c.state === 'approved' && (
                <button type="button" onClick={() => act({ action: 'ship' })}>
                  Record shipment
                </button>
              )}
              <button type="button" class="secondary" onClick={() => act({ action: 'note' })}>
                Add note
              </button>
            </div>
          )}
          {error && (
            <p role="alert" class="error">
              {error}
            </p>
          )}
          <Table
            caption="Audit trail"
            rows={events}
            columns={[
              ['#', (e) => e.seq],
              ['When', (e) => e.at.replace('T', ' ').slice(0, 19)],
              ['Who', (e) => e.actor],
              ['Action', (e) => e.action],
              ['Step', (e) => `${e.fromState ?? '—'} → ${e.toState}`],
              ['Reason', (e) => e.reason],
            ]}
          />
        </section>
      )}
    </Show>
  );
}

function Cases({ writer }: { writer: boolean }) {
  const [version, setVersion] = useState(0);
  const [loaded] = useLoad(() => api<{ cases: CaseRow[] }>('/cases?limit=200'), [version]);
  const [open, setOpen] = useState<number | null>(null);
  return (
    <section aria-labelledby="cases-h">
      <h2 id="cases-h">Diligence cases</h2>
      <Show loaded={loaded}>
        {(v) => (
          <Table
            caption={`${v.cases.length} cases`}
            rows={v.cases}
            columns={[
              [
                'Case',
                (c) => (
                  <button type="button" class="secondary" onClick={() => setOpen(c.id)}>
                    Open case {c.id}
                  </button>
                ),
              ],
              ['Subject', (c) => c.subjectName],
              ['Country', (c) => c.country ?? ''],
              ['Step', (c) => c.state],
              ['Risk', (c) => c.risk ?? ''],
              ['Updated', (c) => c.updatedAt.slice(0, 10)],
            ]}
          />
        )}
      </Show>
      {open !== null && <CaseDetail id={open} writer={writer} onChanged={() => setVersion((n) => n + 1)} />}
    </section>
  );
}

interface Alert {
  id: number;
  raisedAt: string;
  kind: string;
  party: { name: string; country: string | null };
  entry: { list: string; name: string };
  change: string;
}

function Rescreening() {
  const since = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
  const [loaded] = useLoad(() => api<{ alerts: Alert[] }>(`/screen/changes?since=${since}&limit=200`), []);
  return (
    <section aria-labelledby="alerts-h">
      <h2 id="alerts-h">Re-screening alerts since {since}</h2>
      <Show loaded={loaded}>
        {(v) => (
          <Table
            caption="Alerts from list updates"
            rows={v.alerts}
            columns={[
              ['Raised', (a) => a.raisedAt.slice(0, 10)],
              ['Kind', (a) => a.kind],
              ['Party', (a) => `${a.party.name}${a.party.country ? ` (${a.party.country})` : ''}`],
              ['Entry', (a) => `${a.entry.list}: ${a.entry.name}`],
              ['Change', (a) => a.change],
            ]}
          />
        )}
      </Show>
    </section>
  );
}

export function DiligencePage({ role }: { role: Role }) {
  const writer = role === 'compliance' || role === 'compliance-lead';
  return (
    <main id="main">
      <h1>Due diligence</h1>
      <div class="grid">
        <Screen />
        <Batch />
      </div>
      <Cases writer={writer} />
      <Rescreening />
    </main>
  );
}
