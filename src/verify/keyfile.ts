// Key files for landmarks and software chips: PKCS#8 PEM on disk, readable by the owner only.
import { generateKeyPairSync, createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { ValidationError } from '../errors.js';
import { signerFromPem, softwareSigner, type Algorithm, type Signer } from './signer.js';

export function generateKey(alg: Algorithm): KeyObject {
  if (alg === 'ed25519') return generateKeyPairSync('ed25519').privateKey;
  return generateKeyPairSync('ec', { namedCurve: alg === 'p256' ? 'prime256v1' : 'secp384r1' }).privateKey;
}

export function writeKeyFile(path: string, key: KeyObject): Signer {
  writeFileSync(path, key.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  return softwareSigner(key);
}

export function readSigner(path: string): Signer {
  const pem = readFileSync(path, 'utf8');
  if (!pem.includes('PRIVATE KEY')) throw new ValidationError(`${path} holds no PEM private key`, { field: 'key' });
  return signerFromPem(pem);
}

export function privateKeyOf(path: string): KeyObject {
  return createPrivateKey(readFileSync(path, 'utf8'));
}
