// One emulated WAN link (userspace netem): accepts connections and forwards every chunk, in both
// directions, to the target after holding it for the one-way delay plus jitter. Delivery order is
// kept per direction, so a chunk never overtakes an earlier one. Timers can only fire late, so the
// emulated delay is a lower bound — the direction that keeps verdicts sound.
// Usage: node link.mjs --to HOST:PORT --delay-ms D [--jitter-ms J] [--seed N] [--name TEXT]
import { createServer, connect } from 'node:net';

const argv = process.argv.slice(2);
const args = Object.fromEntries(argv.flatMap((a, i) => (a.startsWith('--') ? [[a.slice(2), argv[i + 1]]] : [])));
const [toHost, toPort] = [args.to.replace(/:\d+$/, ''), Number(args.to.split(':').pop())];
const delayMs = Number(args['delay-ms'] ?? 0);
const jitterMs = Number(args['jitter-ms'] ?? 0);
let seed = Number(args.seed ?? 1) >>> 0;
const rand = () => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 2 ** 32;
};

function pipeDelayed(from, to) {
  let lastDue = 0;
  from.on('data', (chunk) => {
    const due = Math.max(lastDue, performance.now() + delayMs + rand() * jitterMs);
    lastDue = due;
    setTimeout(
      () => {
        if (!to.destroyed) to.write(chunk);
      },
      Math.max(0, due - performance.now()),
    );
  });
  from.on('close', () => setTimeout(() => to.destroy(), Math.max(0, lastDue - performance.now()) + 1));
  from.on('error', () => from.destroy());
}

const server = createServer((client) => {
  client.setNoDelay(true);
  const upstream = connect({ host: toHost, port: toPort });
  upstream.setNoDelay(true);
  pipeDelayed(client, upstream);
  pipeDelayed(upstream, client);
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(
    JSON.stringify({ event: 'listening', name: args.name ?? '', port: server.address().port, delayMs }) + '\n',
  );
});
process.on('SIGTERM', () => process.exit(0));
