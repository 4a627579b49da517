// The order statements are evaluated in. Each statement's samples depend only on its inputs and on its
// own random streams (keyed by the call site, not by position), so any order that evaluates a binding
// after the bindings it reads gives the same numbers. The order chosen is by demand: outputs in
// order, each binding just before the first statement that needs it (depth first), then whatever no
// output reads, in source order. Temporaries then die soon after they are made, and a chunk holds
// fewer arrays at once: in the bundled smuggling-2024 model, six instead of eight, each of them
// 512 KB of memory to touch.
import type { Expr, Stmt } from './ast.js';
import { walk } from './ast.js';
import type { CheckedModel } from './analyze.js';

/**
 * The model with its statements in evaluation order and lastUse to match. Models with `correlate`
 * keep the source order: it rearranges its inputs' samples in place, between their definition and
 * their first use, which the source order already guarantees.
 */
export function schedule(model: CheckedModel): CheckedModel {
  const { stmts } = model;
  if (stmts.some((s) => s.type !== 'let')) return model;
  const at = new Map<string, number>();
  stmts.forEach((s, i) => {
    at.set((s as Stmt & { type: 'let' }).name, i);
  });
  const reads = stmts.map((s) => namesRead(s.expr).filter((n) => at.has(n)));

  const order: number[] = [];
  const placed = new Uint8Array(stmts.length);
  // Depth first with an explicit stack (a long chain of bindings would overflow recursion): a
  // statement is placed once every statement it reads is. Bindings cannot read themselves, so a
  // statement is never on the stack twice.
  const place = (root: number) => {
    if (placed[root] === 1) return;
    const stack: [number, number][] = [[root, 0]];
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const [i, next] = top;
      if (next < reads[i].length) {
        top[1]++;
        const dep = at.get(reads[i][next])!;
        if (placed[dep] === 0) stack.push([dep, 0]);
        continue;
      }
      stack.pop();
      placed[i] = 1;
      order.push(i);
    }
  };
  const outputReads = model.outputs.flatMap((o) => namesRead(o.expr).filter((n) => at.has(n)));
  for (const name of outputReads) place(at.get(name)!);
  for (let i = 0; i < stmts.length; i++) place(i);
  if (order.every((i, j) => i === j)) return model;

  const ordered = order.map((i) => stmts[i]);
  const lastUse = new Map<string, number>();
  order.forEach((i, j) => {
    for (const name of reads[i]) lastUse.set(name, j);
  });
  for (const name of outputReads) lastUse.set(name, ordered.length);
  return { ...model, stmts: ordered, lastUse };
}

/** Names an expression reads, each once, in order of first appearance. */
function namesRead(e: Expr): string[] {
  const names = new Set<string>();
  walk(e, (x) => {
    if (x.type === 'ident') names.add(x.name);
  });
  return [...names];
}
