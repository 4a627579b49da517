// The relay attack: a box near a landmark (here "in Kuala Lumpur") that the landmark sees as the chip.
// It forwards each challenge frame to the real chip far away and each signed answer back, adding no
// delay of its own. It cannot sign, so the physics of the far leg stays in the measured RTT.
// Usage: node relay.mjs --to HOST:PORT   (the landmark, or the link toward it)
import { createServer, connect } from 'node:net';

const to = process.argv[process.argv.indexOf('--to') + 1];
const [host, port] = [to.replace(/:\d+$/, ''), Number(to.split(':').pop())];
let forwarded = 0;
const server = createServer((chip) => {
  chip.setNoDelay(true);
  const landmark = connect({ host, port });
  landmark.setNoDelay(true);
  landmark.on('data', (d) => {
    forwarded++;
    chip.write(d);
  });
  chip.on('data', (d) => landmark.write(d));
  for (const s of [chip, landmark]) {
    s.on('error', () => s.destroy());
    s.on('close', () => {
      chip.destroy();
      landmark.destroy();
    });
  }
});
server.listen(0, '127.0.0.1', () =>
  process.stdout.write(JSON.stringify({ event: 'listening', port: server.address().port }) + '\n'),
);
process.on('SIGTERM', () => {
  process.stderr.write(`relay forwarded ${forwarded} chunks\n`);
  process.exit(0);
});
