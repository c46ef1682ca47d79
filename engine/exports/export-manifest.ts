import type { KeyObject } from 'node:crypto';
import { CompactSign } from 'jose';
import type { Manifest } from './export-schema.ts';

/**
 * The manifest of a production and its signature: manifest.json is written as these exact
 * bytes, and manifest.jws is a compact JWS (ES256, the carrier's key, jose CompactSign)
 * whose payload is those same bytes. A recipient checks the signature, then the SHA-256 and
 * size of every file the signed manifest lists (`tracehop exports verify DIR`).
 */
export const MANIFEST_JWS_TYP = 'tracehop-export-manifest';

export const manifestText = (m: Manifest): string => `${JSON.stringify(m, null, 2)}\n`;

export async function signManifest(m: Manifest, key: { privateKey: KeyObject; kid: string }): Promise<{ json: string; jws: string }> {
  const json = manifestText(m);
  const jws = await new CompactSign(new TextEncoder().encode(json)).setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: MANIFEST_JWS_TYP }).sign(key.privateKey);
  return { json, jws };
}
