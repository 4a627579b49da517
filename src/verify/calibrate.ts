// Calibrates a landmark's processing floor: the fastest loopback echo of a challenge-sized frame
// through this very process. Only half of it is claimed (the landmark's own share of the stack), so a
// chip with a faster network stack than ours cannot make the subtraction unsound.
import { createServer, connect } from 'node:net';
import { once } from 'node:events';

export async function calibrateFloorMicros(rounds = 200): Promise<number> {
  const server = createServer((s) => {
    s.setNoDelay(true);
    s.on('data', (d) => s.write(d));
    s.on('error', () => s.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  const c = connect({ port, host: '127.0.0.1' });
  c.setNoDelay(true);
  await once(c, 'connect');
  const frame = Buffer.alloc(100, 1);
  let best = Infinity;
  for (let i = 0; i < rounds; i++) {
    const t0 = process.hrtime.bigint();
    c.write(frame);
    let got = 0;
    while (got < frame.length) got += ((await once(c, 'data')) as [Buffer])[0].length;
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1000);
  }
  c.destroy();
  await new Promise((r) => server.close(r));
  return Math.floor(best / 2);
}
