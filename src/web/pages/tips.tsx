// The Tips page (investigators only): the open tips by deadline, each overdue step marked, and the inbox opened
// in this browser with the investigator's key file (it never leaves the page; the server holds ciphertext only).
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { Show, Table, useLoad } from '../ui/table';
import type { OpenedTip, WireTip } from '../tips/open';

interface Due {
  tipId: string;
  status: string;
  since: string;
  due: string;
  next: string;
  overdue: boolean;
  daysOverdue: number;
}

export function TipsPage() {
  const [loaded] = useLoad(() => api<Due[]>('/tips/due'), []);
  return (
    <main id="main">
      <h1>Tips</h1>
      <Show loaded={loaded}>
        {(due) => (
          <Table
            caption={`Open tips by deadline: ${due.filter((d) => d.overdue).length} overdue of ${due.length}`}
            rows={due}
            empty="No open tip."
            columns={[
              ['Tip', (d) => <code>{d.tipId}</code>],
              ['Step', (d) => d.status],
              ['Since', (d) => d.since],
              ['Due', (d) => <span class={d.overdue ? 'error' : ''}>{d.due}</span>],
              ['Next', (d) => d.next],
              ['Overdue', (d) => (d.overdue ? `${d.daysOverdue} days` : '')],
            ]}
          />
        )}
      </Show>
      <Inbox />
    </main>
  );
}

function Inbox() {
  const [tips, setTips] = useState<OpenedTip[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const open = async (file: File) => {
    setError(null);
    try {
      // libsodium is loaded only now, as its own chunk: the other pages never pay for it.
      const { openSealedTips, readKeyFile, toB64 } = await import('../tips/open');
      const kp = await readKeyFile(await file.text());
      const sealed = await api<WireTip[]>(`/tips/sealed?publicKey=${encodeURIComponent(toB64(kp.publicKey))}`);
      setTips(await openSealedTips(kp, sealed));
    } catch (e) {
      setTips(null);
      setError(e instanceof ApiError || e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <section aria-labelledby="inbox-h">
      <h2 id="inbox-h">Inbox</h2>
      <label>
        Your key file (NAME.key from <code>chipwatch tips keygen</code>; it is read here and never sent){' '}
        <input
          type="file"
          accept=".key,application/json"
          onChange={(e) => {
            const f = (e.target as HTMLInputElement).files?.[0];
            if (f) void open(f);
          }}
        />
      </label>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {tips?.length === 0 && <p>Nothing is sealed to this key.</p>}
      {tips?.map((t) => (
        <article key={t.id} class="card">
          <h3>
            Tip <code>{t.id}</code> · {t.submittedOn} · {t.status}
          </h3>
          {t.messages.map((m) => (
            <div key={m.seq}>
              <p class="hint">
                #{m.seq} from the {m.from} on {m.on}
              </p>
              {m.error ? <p class="warn">{m.error}</p> : <pre class="message">{m.text}</pre>}
              {m.attachments.map((a) => (
                <a key={a.name} download={a.name} href={URL.createObjectURL(new Blob([a.bytes as BlobPart]))}>
                  {a.name} ({a.bytes.length} bytes)
                </a>
              ))}
            </div>
          ))}
        </article>
      ))}
    </section>
  );
}
