// Elementwise arithmetic over sample chunks. A result may reuse an operand's array when the caller
// says that operand is a temporary (not bound to a name), which keeps memory flat in long expressions.
import { arenaOf } from '../wasm/arena.js';

export type Operand = number | Float64Array;
export type BinaryOp = '+' | '-' | '*' | '/' | '^';
export type UnaryFn = 'neg' | 'exp' | 'log' | 'log10' | 'sqrt' | 'abs';

export function binaryScalar(op: BinaryOp, a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '^':
      return a ** b;
  }
}

/** a op b with at least one array operand; writes into `out` (which may alias a temporary operand). */
export function binaryArray(op: BinaryOp, a: Operand, b: Operand, out: Float64Array): Float64Array {
  const n = out.length;
  if (typeof a === 'number') {
    const y = b as Float64Array;
    switch (op) {
      case '+':
        for (let i = 0; i < n; i++) out[i] = a + y[i];
        break;
      case '-':
        for (let i = 0; i < n; i++) out[i] = a - y[i];
        break;
      case '*':
        for (let i = 0; i < n; i++) out[i] = a * y[i];
        break;
      case '/':
        for (let i = 0; i < n; i++) out[i] = a / y[i];
        break;
      case '^':
        for (let i = 0; i < n; i++) out[i] = a ** y[i];
        break;
    }
  } else if (typeof b === 'number') {
    switch (op) {
      case '+':
        for (let i = 0; i < n; i++) out[i] = a[i] + b;
        break;
      case '-':
        for (let i = 0; i < n; i++) out[i] = a[i] - b;
        break;
      case '*':
        for (let i = 0; i < n; i++) out[i] = a[i] * b;
        break;
      case '/':
        for (let i = 0; i < n; i++) out[i] = a[i] / b;
        break;
      case '^':
        if (b === 2) for (let i = 0; i < n; i++) out[i] = a[i] * a[i];
        else if (b === 0.5) for (let i = 0; i < n; i++) out[i] = Math.sqrt(a[i]);
        else for (let i = 0; i < n; i++) out[i] = a[i] ** b;
        break;
    }
  } else {
    switch (op) {
      case '+':
        for (let i = 0; i < n; i++) out[i] = a[i] + b[i];
        break;
      case '-':
        for (let i = 0; i < n; i++) out[i] = a[i] - b[i];
        break;
      case '*':
        for (let i = 0; i < n; i++) out[i] = a[i] * b[i];
        break;
      case '/':
        for (let i = 0; i < n; i++) out[i] = a[i] / b[i];
        break;
      case '^':
        for (let i = 0; i < n; i++) out[i] = a[i] ** b[i];
        break;
    }
  }
  return out;
}

export function unaryScalar(fn: UnaryFn, x: number): number {
  switch (fn) {
    case 'neg':
      return -x;
    case 'exp':
      return Math.exp(x);
    case 'log':
      return Math.log(x);
    case 'log10':
      return Math.log10(x);
    case 'sqrt':
      return Math.sqrt(x);
    case 'abs':
      return Math.abs(x);
  }
}

export function unaryArray(fn: UnaryFn, x: Float64Array, out: Float64Array): Float64Array {
  const n = out.length;
  switch (fn) {
    case 'neg':
      for (let i = 0; i < n; i++) out[i] = -x[i];
      break;
    case 'exp':
      for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]);
      break;
    case 'log':
      for (let i = 0; i < n; i++) out[i] = Math.log(x[i]);
      break;
    case 'log10':
      for (let i = 0; i < n; i++) out[i] = Math.log10(x[i]);
      break;
    case 'sqrt':
      for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]);
      break;
    case 'abs':
      for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]);
      break;
  }
  return out;
}

/** Elementwise min or max of two operands, at least one an array. */
export function extremum(isMax: boolean, a: Operand, b: Operand, out: Float64Array): Float64Array {
  const n = out.length;
  for (let i = 0; i < n; i++) {
    const x = typeof a === 'number' ? a : a[i];
    const y = typeof b === 'number' ? b : b[i];
    out[i] = isMax ? (x > y || Number.isNaN(x) ? x : y) : x < y || Number.isNaN(x) ? x : y;
  }
  return out;
}

/** Number of NaN or infinite entries. */
export function countNonFinite(x: Float64Array): number {
  const arena = arenaOf(x);
  if (arena) return arena.exports.countNonFinite(x.byteOffset, x.length);
  let c = 0;
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) c++;
  return c;
}
