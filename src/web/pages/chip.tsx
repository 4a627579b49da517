// The Chip page: a chip's custody timeline, its location verifications and alerts, and each filing's inclusion in
// the transparency log, checked here in the browser (WebCrypto) against the log's signed checkpoint.
import { useState } from 'preact/hooks';
import { api } from '../api';
import { navigate } from '../router';
import { Show, Table, useLoad } from '../ui/table';
import { checkInclusion, type ItemProof } from '../proof';

interface Party {
  name: string;
  country: string | null;
}
interface Place {
  address: string;
  country: string;
}
interface Step {
  filingId: number;
  row: number;
  receivedAt: string;
  filer: string;
  status: string;
  begin: string;
  fromOwner: Party;
  toOwner: Party;
  fromLocation: Place | null;
  toLocation: Place | null;
}
interface History {
  serial: string;
  product: string;
  eccn: string;
  status: string;
  currentOwner: Party | null;
  currentLocation: Place | null;
  history: Step[];
}
interface Result {
  id: number;
  verdict: string;
  provenOutside: string[];
  declaredConsistent: boolean | null;
  checkedAt: string;
}
interface Alert {
  id: number;
  kind: string;
  serial: string | null;
  createdAt: string;
  detail: unknown;
}
interface Proofs {
  treeSize: number;
  checkpoint: string | null;
  items: (ItemProof & { row: number; serial: string })[];
}

const place = (p: Place | null) => (p ? `${p.address} (${p.country})` : '—');

function ProofCheck({ step, serial, vkey }: { step: Step; serial: string; vkey: string }) {
  const [state, setState] = useState<{ ok: boolean; text: string } | null>(null);
  const run = async () => {
    setState({ ok: true, text: 'checking…' });
    try {
      const p = await api<Proofs>(
        `/registry/filings/${step.filingId}/proofs?limit=1&offset=${Math.max(0, step.row - 2)}`,
      );
      let item = p.items.find((i) => i.row === step.row && i.serial === serial);
      if (!item) {
        const all = await api<Proofs>(`/registry/filings/${step.filingId}/proofs?limit=200`);
        item = all.items.find((i) => i.row === step.row && i.serial === serial);
      }
      if (!item) throw new Error('the log answered no proof for this row');
      if (!p.checkpoint) throw new Error('no signed checkpoint covers this filing yet');
      const r = await checkInclusion(item, p.checkpoint, vkey);
      setState({
        ok: true,
        text: `included: leaf ${item.leafIndex} of ${r.treeSize}, checkpoint signed by ${r.signedBy}`,
      });
    } catch (e) {
      setState({ ok: false, text: `not proven: ${e instanceof Error ? e.message : String(e)}` });
    }
  };
  return (
    <span>
      <button type="button" class="secondary" onClick={run}>
        Check proof
        <span class="sr-only">
          {' '}
          of filing {step.filingId} row {step.row}
        </span>
      </button>{' '}
      {state && (
        <span role="status" class={state.ok ? 'ok' : 'error'} data-testid="proof-result">
          {state.text}
        </span>
      )}
    </span>
  );
}

function ChipView({ serial }: { serial: string }) {
  const [history] = useLoad(() => api<History>(`/registry/chips/${encodeURIComponent(serial)}`), [serial]);
  const [results] = useLoad(
    () => api<Result[]>(`/verify/results?serial=${encodeURIComponent(serial)}&limit=50`).catch(() => [] as Result[]),
    [serial],
  );
  const [alerts] = useLoad(
    () => api<Alert[]>('/verify/alerts?open=false').then((all) => all.filter((a) => a.serial === serial)),
    [serial],
  );
  const [vkey] = useLoad(
    () =>
      api<{ vkey: string }>('/log/vkey')
        .then((v) => v.vkey)
        .catch(() => ''),
    [],
  );
  return (
    <>
      <Show loaded={history}>
        {(h) => (
          <section aria-label="custody">
            <p>
              <strong>{h.product}</strong> · ECCN {h.eccn} · status {h.status} · owner {h.currentOwner?.name ?? '—'} ·
              at {place(h.currentLocation)}
            </p>
            <Table
              caption="Custody timeline"
              rows={h.history}
              columns={[
                ['Began', (s) => s.begin],
                ['From', (s) => `${s.fromOwner.name} · ${place(s.fromLocation)}`],
                ['To', (s) => `${s.toOwner.name} · ${place(s.toLocation)}`],
                ['Status', (s) => s.status],
                ['Filing', (s) => `${s.filingId} row ${s.row} by ${s.filer}`],
                [
                  'Log inclusion',
                  (s) =>
                    vkey.state === 'ok' && vkey.value ? (
                      <ProofCheck step={s} serial={h.serial} vkey={vkey.value} />
                    ) : (
                      'no log key'
                    ),
                ],
              ]}
            />
            {vkey.state === 'ok' && vkey.value && (
              <p class="hint">
                Proofs are checked in this browser against the log key <code>{vkey.value}</code>; compare it with the
                key you trust.
              </p>
            )}
          </section>
        )}
      </Show>
      <Show loaded={results}>
        {(rs) => (
          <Table
            caption="Location verifications"
            rows={rs}
            empty="No verification yet."
            columns={[
              ['Checked', (r) => r.checkedAt.replace('T', ' ').slice(0, 16)],
              ['Verdict', (r) => <span class={`verdict-${r.verdict}`}>{r.verdict}</span>],
              ['Proven outside', (r) => r.provenOutside.join(', ')],
              [
                'Declared site',
                (r) => (r.declaredConsistent === null ? '—' : r.declaredConsistent ? 'consistent' : 'not'),
              ],
            ]}
          />
        )}
      </Show>
      <Show loaded={alerts}>
        {(as) => (
          <Table
            caption="Alerts"
            rows={as}
            empty="No alert."
            columns={[
              ['Raised', (a) => a.createdAt.slice(0, 10)],
              ['Kind', (a) => a.kind],
              ['Detail', (a) => JSON.stringify(a.detail)],
            ]}
          />
        )}
      </Show>
    </>
  );
}

export function ChipPage({ serial }: { serial: string }) {
  const [input, setInput] = useState(serial);
  return (
    <main id="main">
      <h1>Chip {serial}</h1>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          if (input.trim()) navigate(`/chip/${encodeURIComponent(input.trim())}`);
        }}
      >
        <label>
          Serial
          <input value={input} onInput={(e) => setInput((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit">Show</button>
      </form>
      {serial ? <ChipView serial={serial} /> : <p>Enter a serial, or pick a chip on the map.</p>}
    </main>
  );
}
