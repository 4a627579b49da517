// The demo's whistleblower tips: an investigator's key pair (its private half written to
// DATA_DIR/demo-tips.key, owner-only, for `chipwatch tips read`) and a few tips sealed to it through the
// tips service. Submitted on the world's day, so their commitments reach the log once that day is over.
import { writeFileSync } from 'node:fs';
import type { Db } from '../../db/index.js';
import { addRecipient, loadSodium, submitTip } from '../../tips/index.js';
import { encodePrivateKey, generateKeyPair } from '../../tips/keys.js';

const TIPS = [
  'Crates of H100 boards relabelled as network switches at a warehouse in Johor, picked up by a Shenzhen carrier.',
  'A reseller in Hong Kong asks for servers to be delivered to a freight forwarder, never to its own office.',
  'Our data centre in Kuala Lumpur lists 64 GPUs in racks that have been empty since the spring.',
];

export async function seedTips(db: Db, keyFile: string, day: string): Promise<{ tips: number }> {
  await loadSodium();
  const kp = generateKeyPair();
  await addRecipient(db, 'demo-investigator', kp.publicKey, day);
  writeFileSync(keyFile, encodePrivateKey(kp), { mode: 0o600 });
  for (const text of TIPS) await submitTip(db, text, [], day);
  return { tips: TIPS.length };
}
