// Calls the chipwatch API with the signed-in key; a problem+json answer becomes an ApiError carrying it.
import { storedKey } from './session';

export interface Problem {
  title?: string;
  status?: number;
  detail?: string;
  errors?: { row?: number; column?: string; field?: string; message?: string; code?: string }[];
  [k: string]: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
}

export async function api<T>(path: string, init: RequestInit & { json?: unknown; key?: string } = {}): Promise<T> {
  const headers = new Headers(init.headers);
  const key = init.key ?? storedKey();
  if (key) headers.set('authorization', `Bearer ${key}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(init.json);
  }
  const res = await fetch(`/api${path}`, { ...init, headers, body });
  const text = await res.text();
  const parsed = text && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : text;
  if (!res.ok) throw new ApiError(res.status, typeof parsed === 'object' ? parsed : { detail: String(parsed) });
  return parsed as T;
}
