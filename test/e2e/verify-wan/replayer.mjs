// The replay attack: connects to a landmark as an enrolled chip and answers every challenge with a
// captured old response (nonce and signature from an earlier round) instead of signing the new nonce.
// Usage: node replayer.mjs --to HOST:PORT --serial S --nonce B64URL --sig B64URL
import { connect } from 'node:net';

const arg = (k) => process.argv[process.argv.indexOf(`--${k}`) + 1];
const [host, port] = [arg('to').replace(/:\d+$/, ''), Number(arg('to').split(':').pop())];
const nonce = Buffer.from(arg('nonce'), 'base64url');
const sig = Buffer.from(arg('sig'), 'base64url');
const frame = (type, body) => {
  const b = Buffer.alloc(5 + body.length);
  b.writeUInt32BE(body.length + 1, 0);
  b[4] = type;
  body.copy(b, 5);
  return b;
};
const s = connect({ host, port });
s.on('connect', () => {
  s.write(frame(1, Buffer.from(JSON.stringify({ serial: arg('serial') }))));
  process.stdout.write(JSON.stringify({ event: 'started' }) + '\n');
});
let replayed = 0;
s.on('data', () => {
  replayed++;
  s.write(frame(3, Buffer.concat([nonce, sig])));
});
s.on('error', () => {});
process.on('SIGTERM', () => {
  process.stderr.write(`replayed ${replayed}\n`);
  process.exit(0);
});
