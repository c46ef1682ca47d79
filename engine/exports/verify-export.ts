import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { compactVerify, decodeProtectedHeader } from 'jose';
import { sha256File } from './write-export.ts';
import { JWS_FILE, MANIFEST_FILE, ManifestSchema, PUBLIC_KEY_FILE, type Manifest } from './export-schema.ts';

/**
 * Verify an export directory against its signed manifest: the JWS signature (with the
 * key given, or else the public key shipped in the directory), manifest.json against the
 * signed payload (naming each field that differs), then every listed file's size and
 * SHA-256 (naming the file). With the shipped key the check proves the files are the
 * ones the manifest lists, not who signed it: anyone can ship a key. Give `--key` with
 * the carrier's published public key to check the signer too.
 */
export interface VerifyProblem {
  readonly file: string;
  readonly field: string;
  readonly message: string;
  readonly expected?: unknown;
  readonly actual?: unknown;
}

export interface ExportVerdict {
  readonly ok: boolean;
  readonly dir: string;
  readonly key_source: 'given' | 'shipped';
  readonly kid: string | null;
  readonly export_id: string | null;
  readonly rows: number | null;
  readonly files_checked: readonly string[];
  readonly problems: readonly VerifyProblem[];
}

/** Paths at which two JSON values differ (`rows`, `files[0].sha256`, `scope.numbers[1]`). */
function differingPaths(a: unknown, b: unknown, at = ''): string[] {
  if (a === b) return [];
  if (Array.isArray(a) && Array.isArray(b)) {
    const out: string[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) out.push(...differingPaths(a[i], b[i], `${at}[${i}]`));
    return out;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => differingPaths((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], at ? `${at}.${k}` : k));
  }
  return [at || '(whole document)'];
}

const spkiKid = (k: KeyObject): string => createHash('sha256').update(k.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);

export async function verifyExportDir(dir: string, opts: { publicKeyPem?: string | Buffer } = {}): Promise<ExportVerdict> {
  const problems: VerifyProblem[] = [];
  const keySource = opts.publicKeyPem ? 'given' : 'shipped';
  const verdict = (extra: Partial<ExportVerdict> = {}): ExportVerdict => ({ ok: problems.length === 0, dir, key_source: keySource, kid: null, export_id: null, rows: null, files_checked: [], problems, ...extra });
  const read = (name: string): string | null => {
    const f = path.join(dir, name);
    if (!existsSync(f)) {
      problems.push({ file: name, field: 'file', message: `${name} is missing` });
      return null;
    }
    return readFileSync(f, 'utf8');
  };
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    problems.push({ file: dir, field: 'directory', message: 'not a directory' });
    return verdict();
  }
  const jws = read(JWS_FILE);
  const json = read(MANIFEST_FILE);
  let key: KeyObject;
  try {
    const pem = opts.publicKeyPem ?? read(PUBLIC_KEY_FILE);
    if (pem === null) return verdict();
    key = createPublicKey(pem);
  } catch (e) {
    problems.push({ file: opts.publicKeyPem ? '--key' : PUBLIC_KEY_FILE, field: 'key', message: `not a PEM public key (${(e as Error).message})` });
    return verdict();
  }
  const kid = spkiKid(key);
  if (jws === null) return verdict({ kid });
  let payload: string;
  try {
    const header = decodeProtectedHeader(jws.trim());
    if (header.kid !== undefined && header.kid !== kid) {
      problems.push({ file: JWS_FILE, field: 'kid', message: `signed with key ${String(header.kid)}, verifying with key ${kid}`, expected: kid, actual: header.kid });
    }
    payload = new TextDecoder().decode((await compactVerify(jws.trim(), key, { algorithms: ['ES256'] })).payload);
  } catch (e) {
    problems.push({ file: JWS_FILE, field: 'signature', message: `the signature does not verify with ${keySource === 'given' ? 'the given key' : `the shipped ${PUBLIC_KEY_FILE}`} (${(e as Error).message})` });
    return verdict({ kid });
  }
  // The signed payload is the truth; manifest.json must be exactly it.
  const parsed = ManifestSchema.safeParse((() => { try { return JSON.parse(payload) as unknown; } catch { return null; } })());
  if (!parsed.success) {
    problems.push({ file: JWS_FILE, field: 'payload', message: 'the signed payload is not a tracehop export manifest' });
    return verdict({ kid });
  }
  const m: Manifest = parsed.data;
  if (json !== null && json !== payload) {
    let edited: unknown = null;
    try {
      edited = JSON.parse(json);
    } catch {
      problems.push({ file: MANIFEST_FILE, field: '(whole document)', message: 'manifest.json is not JSON and differs from the signed manifest' });
    }
    if (edited !== null) {
      const fields = differingPaths(JSON.parse(payload), edited);
      if (fields.length === 0) problems.push({ file: MANIFEST_FILE, field: '(formatting)', message: 'manifest.json differs from the signed manifest in its bytes (layout or whitespace)' });
      for (const f of fields) problems.push({ file: MANIFEST_FILE, field: f, message: `field ${f} differs from the signed manifest` });
    }
  }
  const checked: string[] = [];
  for (const f of m.files) {
    const file = path.join(dir, path.basename(f.name));
    checked.push(f.name);
    if (!existsSync(file)) {
      problems.push({ file: f.name, field: 'file', message: `${f.name} is listed in the signed manifest but missing` });
      continue;
    }
    const bytes = statSync(file).size;
    if (bytes !== f.bytes) problems.push({ file: f.name, field: 'bytes', message: `${f.name} has ${bytes} bytes, the signed manifest says ${f.bytes}`, expected: f.bytes, actual: bytes });
    const sha = await sha256File(file);
    if (sha !== f.sha256) problems.push({ file: f.name, field: 'sha256', message: `${f.name} SHA-256 differs from the signed manifest`, expected: f.sha256, actual: sha });
  }
  const known = new Set([...m.files.map((f) => f.name), MANIFEST_FILE, JWS_FILE, PUBLIC_KEY_FILE]);
  for (const extra of readdirSync(dir).filter((n) => !known.has(n)).sort()) {
    problems.push({ file: extra, field: 'file', message: `${extra} is not listed in the signed manifest` });
  }
  return verdict({ kid, export_id: m.export_id, rows: m.rows, files_checked: checked });
}
