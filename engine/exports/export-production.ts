import { randomBytes, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fsyncDir, writeFileAtomic } from '../storage/atomic-file.ts';
import type { DataLayout } from '../storage/layout.ts';
import { exportDir, exportsRoot } from './export-dir.ts';
import { signManifest } from './export-manifest.ts';
import { JWS_FILE, MANIFEST_FILE, MATCH_COLUMNS, PUBLIC_KEY_FILE, type ExportFormat, type ExportScope, type FeeEstimate, type Manifest } from './export-schema.ts';
import { writeExport } from './write-export.ts';

/**
 * Produce an approved export: files and signed manifest are written to a temporary
 * directory under data/exports/ and made visible by one rename (DESIGN.md "Storage
 * rules"), so a download never sees a half-written production and a crash leaves only a
 * `.tmp-` directory, never a partial export under its id.
 */
export interface ProductionInput {
  readonly id: string;
  readonly demand_id: string;
  readonly legal_process: string;
  readonly legal_basis: string;
  readonly scope: ExportScope;
  readonly formats: readonly ExportFormat[];
  readonly fee_estimate: FeeEstimate;
  readonly requested_by: string;
  readonly requested_at: string;
  readonly approved_by: string;
  readonly approved_at: string;
}

export interface SigningKeyLike {
  readonly privateKey: KeyObject;
  readonly publicPem: string;
  readonly kid: string;
}

export async function produceFiles(layout: DataLayout, key: SigningKeyLike, x: ProductionInput, now: Date, downloadDays: number): Promise<Manifest> {
  const final = exportDir(layout, x.id);
  const root = exportsRoot(layout);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  // leftovers of an attempt that crashed mid-write (the caller holds this export's lock)
  for (const n of readdirSync(root)) if (n.startsWith(`.tmp-${x.id}-`)) rmSync(path.join(root, n), { recursive: true, force: true });
  const tmp = path.join(root, `.tmp-${x.id}-${randomBytes(4).toString('hex')}`);
  mkdirSync(tmp, { mode: 0o700 });
  try {
    const written = await writeExport(layout, x.scope, tmp, x.formats);
    const manifest: Manifest = {
      manifest_version: 1,
      export_id: x.id,
      demand: { id: x.demand_id, legal_process: x.legal_process, legal_basis: x.legal_basis },
      scope: { ...x.scope, matched_on: [...MATCH_COLUMNS] },
      rows: written.rows,
      files: [...written.files],
      requested_by: x.requested_by,
      requested_at: x.requested_at,
      approved_by: x.approved_by,
      approved_at: x.approved_at,
      produced_at: now.toISOString(),
      download_expires_at: new Date(now.getTime() + downloadDays * 86_400_000).toISOString(),
      fee_estimate: x.fee_estimate,
      signature: { alg: 'ES256', kid: key.kid, jws_file: JWS_FILE, public_key_file: PUBLIC_KEY_FILE },
    };
    const { json, jws } = await signManifest(manifest, key);
    writeFileAtomic(path.join(tmp, MANIFEST_FILE), json);
    writeFileAtomic(path.join(tmp, JWS_FILE), `${jws}\n`);
    writeFileAtomic(path.join(tmp, PUBLIC_KEY_FILE), key.publicPem);
    // A directory left by an earlier attempt that died before the state store said
    // "produced" was never downloadable (downloads need that status): replace it.
    if (existsSync(final)) rmSync(final, { recursive: true, force: true });
    renameSync(tmp, final);
    fsyncDir(root);
    return manifest;
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}
