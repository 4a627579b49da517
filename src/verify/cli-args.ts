// Argument parsers and file readers shared by the verify commands: each failure is one line naming
// the flag or file, never a stack trace.
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { ValidationError } from '../errors.js';
import { UsageError } from '../cli/errors.js';

export function readJson(path: string, field: string): unknown {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ValidationError(`${path} is not valid JSON (${(e as Error).message})`, { field });
  }
}

/** Reads and validates a JSON file; the first problem names its path inside the file (`landmarks[2].lat`). */
export function readJsonAs<T>(path: string, field: string, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(readJson(path, field));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const at = issue.path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : `${s}.${String(k)}`), field);
  throw new ValidationError(`${path}: ${issue.message}`, { field: at });
}

export function num(name: string, min: number, max: number) {
  return (v: string): number => {
    const n = Number(v);
    if (Number.isFinite(n) && n >= min && n <= max) return n;
    throw new UsageError(`${name} must be a number from ${min} to ${max}`);
  };
}

export function hostPort(v: string): { host: string; port: number } {
  const m = /^(.+):(\d{1,5})$/.exec(v);
  if (!m || Number(m[2]) > 65535) throw new UsageError(`expected HOST:PORT, got ${JSON.stringify(v)}`);
  return { host: m[1].replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}

/** `ID=HOST:PORT` as given to `agent --landmark`. */
export function landmarkTarget(s: string): { id: string; host: string; port: number } {
  const i = s.indexOf('=');
  if (i < 1) throw new UsageError(`--landmark takes ID=HOST:PORT, got ${JSON.stringify(s)}`);
  return { id: s.slice(0, i), ...hostPort(s.slice(i + 1)) };
}

export function codes(v: string): string[] {
  return v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
