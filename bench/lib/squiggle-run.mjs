// Runs a model file in Squiggle (@quri/squiggle-lang) and prints {"p50": ..., "engineMs": ...} for the
// named output: the peer process in bench/estimate.mjs.
import { readFileSync } from 'node:fs';
import { run } from '@quri/squiggle-lang';

const [file, samples, output] = process.argv.slice(2);
const env = { sampleCount: Number(samples), xyPointLength: 1000, seed: 'bench' };
const t0 = performance.now();
const out = await run(readFileSync(file, 'utf8'), { environment: env });
if (!out.result.ok) {
  process.stderr.write(out.result.value.toString() + '\n');
  process.exit(1);
}
const dist = out.result.value.result.value.get(output).value;
const p50 = dist.inv(env, 0.5).value;
const engineMs = performance.now() - t0;
process.stdout.write(JSON.stringify({ p50, engineMs }) + '\n');
