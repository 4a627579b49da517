// A plain data table with a caption, and the loading and error states every page shares.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';

export function Table<T>({
  caption,
  rows,
  columns,
  empty = 'None.',
}: {
  caption: string;
  rows: readonly T[];
  columns: readonly [string, (r: T) => ComponentChildren][];
  empty?: string;
}) {
  if (rows.length === 0)
    return (
      <p>
        <strong>{caption}:</strong> {empty}
      </p>
    );
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          {columns.map(([h]) => (
            <th key={h} scope="col">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i}>
            {columns.map(([h, cell]) => (
              <td key={h}>{cell(r)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export type Loaded<T> = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ok'; value: T };

/** Loads once per change of `deps`; errors become a message (never an exception in the page). */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): [Loaded<T>, () => void] {
  const [result, setResult] = useState<Loaded<T>>({ state: 'loading' });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setResult({ state: 'loading' });
    load()
      .then((value) => live && setResult({ state: 'ok', value }))
      .catch((e) => live && setResult({ state: 'error', message: e instanceof ApiError ? e.message : String(e) }));
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return [result, () => setTick((t) => t + 1)];
}

export function Show<T>({ loaded, children }: { loaded: Loaded<T>; children: (v: T) => ComponentChildren }) {
  if (loaded.state === 'loading') return <p class="loading">Loading…</p>;
  if (loaded.state === 'error')
    return (
      <p role="alert" class="error">
        {loaded.message}
      </p>
    );
  return <>{children(loaded.value)}</>;
}
