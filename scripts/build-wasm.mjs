// Assembles src/estimate/wasm/engine.wat into dist/estimate/wasm/engine.wasm (run by `npm run build`,
// after tsc). The constants are printed from the JavaScript reference (dist/estimate/dist/fastexp.js, normal.js),
// so both implementations use the very same doubles.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import initWabt from 'wabt';

const root = new URL('../', import.meta.url);
const { EXP_CONSTANTS } = await import(new URL('dist/estimate/dist/fastexp.js', root).href);
const { ZIGGURAT_R } = await import(new URL('dist/estimate/dist/normal.js', root).href);
const constants = { ...EXP_CONSTANTS, R: ZIGGURAT_R };
let text = readFileSync(new URL('src/estimate/wasm/engine.wat', root), 'utf8');
text = text.replace(/\{\{(\w+)\}\}/g, (_, name) => {
  const v = constants[name];
  if (typeof v !== 'number') throw new Error(`engine.wat: unknown constant {{${name}}}`);
  return String(v); // shortest round-trip decimal: parses back to the same double
});
const wabt = await initWabt();
const mod = wabt.parseWat('engine.wat', text, { simd: true });
mod.validate();
const { buffer } = mod.toBinary({});
mkdirSync(new URL('dist/estimate/wasm/', root), { recursive: true });
writeFileSync(new URL('dist/estimate/wasm/engine.wasm', root), buffer);
mod.destroy();
