import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { thError } from '../errors.ts';
import { writeFileAtomic } from '../storage/atomic-file.ts';
import type { DataLayout } from '../storage/layout.ts';

/**
 * The carrier's ES256 signing key (intercept-audit entries, export manifests). From
 * `--signing-key` or TRACEHOP_SIGNING_KEY (a PEM path); without either, one is made once
 * under data/keys/ with mode 0600. Never from the repository.
 */
export interface SigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly publicPem: string;
  /** key id: SHA-256 of the SPKI, first 16 hex digits */
  readonly kid: string;
  readonly created: boolean;
  readonly file: string;
}

export async function loadSigningKey(layout: DataLayout, opts: { keyFile?: string } = {}): Promise<SigningKey> {
  const file = opts.keyFile ?? process.env['TRACEHOP_SIGNING_KEY'] ?? path.join(layout.keysDir, 'signing-key.pem');
  let created = false;
  if (!existsSync(file)) {
    if (opts.keyFile || process.env['TRACEHOP_SIGNING_KEY']) throw thError('TH_CONFIG', `signing key ${file} does not exist`);
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileAtomic(file, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, 0o600);
    created = true;
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(readFileSync(file));
  } catch (e) {
    throw thError('TH_CONFIG', `signing key ${file} is not a PEM private key`, { cause: e });
  }
  if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') throw thError('TH_CONFIG', `signing key ${file} is not an EC P-256 key (ES256)`);
  const publicKey = createPublicKey(privateKey);
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return { privateKey, publicKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }) as string, kid: createHash('sha256').update(spki).digest('hex').slice(0, 16), created, file };
}
