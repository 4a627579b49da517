// The Registry page: filings (a filer sees its own), and for the regulator the § 743.7 obligations with due and
// late, and the custody flags; a filer uploads a filled-in template by drag and drop and sees every row-and-column
// problem the API found in a table.
import { useState } from 'preact/hooks';
import { api, ApiError, type Problem } from '../api';
import type { Role } from '../access';
import { Show, Table, useLoad } from '../ui/table';
import { follow } from '../router';

interface Filing {
  id: number;
  filer: string;
  items: number;
  source: string;
  receivedAt: string;
  flags: number;
  firstLeafIndex: number;
}
interface Obligation {
  ownerName: string;
  month: string;
  items: number;
  due: string;
  filedOnTime: number;
  filedLate: number;
  status: 'filed' | 'late';
}
interface Flag {
  id: number;
  kind: string;
  serial: string;
  filingId: number;
  row: number;
  filer: string;
  detail: string;
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function Upload({ onFiled }: { onFiled: () => void }) {
  const [over, setOver] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const send = async (file: File) => {
    setStatus(`Uploading ${file.name}…`);
    setProblem(null);
    const type = /\.xlsx$/i.test(file.name) ? XLSX : 'text/csv';
    try {
      const r = await api<{ filingId?: number; items?: number; duplicate?: boolean }>('/registry/filings/upload', {
        method: 'POST',
        headers: { 'content-type': type },
        body: await file.arrayBuffer(),
      });
      setStatus(`${file.name}: ${r.duplicate ? 'already filed' : 'filed'} (filing ${r.filingId}, ${r.items} items).`);
      onFiled();
    } catch (e) {
      setStatus(null);
      setProblem(e instanceof ApiError ? e.problem : { detail: String(e) });
    }
  };
  return (
    <section class="card" aria-labelledby="upload-h">
      <h2 id="upload-h">Upload a filing</h2>
      <section
        aria-label="drop a file here"
        class={`dropzone${over ? ' over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          const f = e.dataTransfer?.files[0];
          if (f) void send(f);
        }}
      >
        <p>Drop a filled-in template (CSV or XLSX) here, or</p>
        <label>
          choose a file{' '}
          <input
            type="file"
            accept=".csv,.xlsx"
            onChange={(e) => {
              const f = (e.target as HTMLInputElement).files?.[0];
              if (f) void send(f);
            }}
          />
        </label>
        <p class="hint">
          The template: <a href="/api/registry/template.csv">CSV</a> · <a href="/api/registry/template.xlsx">XLSX</a>. A
          filing is all or nothing.
        </p>
      </section>
      {status && (
        <p role="status" class="ok">
          {status}
        </p>
      )}
      {problem && (
        <div role="alert">
          <p class="error">
            {problem.title ?? 'Rejected'}: {problem.detail}
          </p>
          <Table
            caption="Problems by row and column"
            rows={problem.errors ?? []}
            columns={[
              ['Row', (p) => p.row ?? ''],
              ['Column', (p) => p.column ?? p.field ?? ''],
              ['Problem', (p) => (p as { reason?: string }).reason ?? p.message ?? ''],
            ]}
          />
        </div>
      )}
    </section>
  );
}

function Filings({ version }: { version: number }) {
  const [loaded] = useLoad(() => api<{ filings: Filing[] }>('/registry/filings?limit=50'), [version]);
  return (
    <Show loaded={loaded}>
      {(v) => (
        <Table
          caption="Latest filings"
          rows={v.filings}
          columns={[
            ['Filing', (f) => f.id],
            ['Filer', (f) => f.filer],
            ['Items', (f) => f.items],
            ['Source', (f) => f.source],
            ['Received', (f) => f.receivedAt.slice(0, 10)],
            ['Flags', (f) => (f.flags ? <span class="warn">{f.flags}</span> : 0)],
            ['First log leaf', (f) => f.firstLeafIndex],
          ]}
        />
      )}
    </Show>
  );
}

function Obligations() {
  const [loaded] = useLoad(() => api<{ asOf: string; obligations: Obligation[] }>('/registry/obligations'), []);
  return (
    <Show loaded={loaded}>
      {(v) => {
        const late = v.obligations.filter((o) => o.status === 'late');
        return (
          <Table
            caption={`Obligations as of ${v.asOf}: ${late.length} late of ${v.obligations.length}`}
            rows={[...late, ...v.obligations.filter((o) => o.status !== 'late')].slice(0, 100)}
            columns={[
              ['Owner', (o) => o.ownerName],
              ['Month', (o) => o.month],
              ['Items', (o) => o.items],
              ['Due', (o) => o.due],
              ['On time', (o) => o.filedOnTime],
              ['Late', (o) => o.filedLate],
              ['Status', (o) => <span class={o.status === 'late' ? 'error' : 'ok'}>{o.status}</span>],
            ]}
          />
        );
      }}
    </Show>
  );
}

function Flags() {
  const [loaded] = useLoad(() => api<{ flags: Flag[] }>('/registry/flags?limit=100'), []);
  return (
    <Show loaded={loaded}>
      {(v) => (
        <Table
          caption="Custody flags"
          rows={v.flags}
          columns={[
            ['Kind', (f) => f.kind.replaceAll('_', ' ')],
            [
              'Chip',
              (f) => (
                <a href={`/chip/${encodeURIComponent(f.serial)}`} onClick={follow}>
                  {f.serial}
                </a>
              ),
            ],
            ['Filing', (f) => `${f.filingId} row ${f.row}`],
            ['Filer', (f) => f.filer],
            ['Detail', (f) => f.detail],
          ]}
        />
      )}
    </Show>
  );
}

export function RegistryPage({ role }: { role: Role }) {
  const [version, setVersion] = useState(0);
  const regulator = role === 'regulator' || role === 'admin';
  return (
    <main id="main">
      <h1>Registry</h1>
      {role === 'filer' && <Upload onFiled={() => setVersion((v) => v + 1)} />}
      <section aria-label="filings">
        <Filings version={version} />
      </section>
      {regulator && (
        <div class="grid">
          <section aria-label="obligations">
            <Obligations />
          </section>
          <section aria-label="custody flags">
            <Flags />
          </section>
        </div>
      )}
    </main>
  );
}
