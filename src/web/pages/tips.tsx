// The Tips page (investigators only): the open tips by deadline, each overdue step marked. The messages stay
// sealed here: this release opens them in the CLI (`chipwatch tips read`), where the investigator's key lives.
import { api } from '../api';
import { Show, Table, useLoad } from '../ui/table';

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
      <p class="hint">
        Messages are sealed to the investigators' keys and stay sealed on this page: read and answer them with{' '}
        <code>chipwatch tips read --server URL --key NAME.key</code> (the tips documentation).
      </p>
    </main>
  );
}
