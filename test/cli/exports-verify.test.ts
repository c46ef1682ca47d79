import { createHash, generateKeyPairSync } from 'node:crypto';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DemandInputSchema } from '../../engine/demands/demand-schema.ts';
import { intakeDemand } from '../../engine/demands/intake.ts';
import { signManifest } from '../../engine/exports/export-manifest.ts';
import { ExportRequestSchema, ManifestSchema } from '../../engine/exports/export-schema.ts';
import { approveExport, requestExport } from '../../engine/exports/export-workflow.ts';
import { loadSigningKey } from '../../engine/keys/signing-key.ts';
import { withState } from '../../engine/state/state-store.ts';
import { dataLayout } from '../../engine/storage/layout.ts';
import { tempDir } from '../support/cdr-fixtures.ts';
import { demandBody } from '../support/demand-body.ts';
import { DEMAND_FROM, DEMAND_TO, EXPORT_NOW, ingestExportCorpus, TARGET_A, TARGET_B } from '../support/export-fixtures.ts';
import { runCli } from '../support/run-cli.ts';

describe('tracehop exports verify DIR [--key PUB.pem]', () => {
  let produced = '';
  let carrierPub = '';
  let otherKey: ReturnType<typeof generateKeyPairSync>;
  beforeAll(async () => {
    const data = await ingestExportCorpus();
    const layout = dataLayout(data);
    const key = await loadSigningKey(layout);
    const id = await withState(layout, async (state) => {
      const d = await intakeDemand(state, layout, DemandInputSchema.parse(demandBody({ target_numbers: [TARGET_A, TARGET_B], date_from: DEMAND_FROM, date_to: DEMAND_TO })), { id: 'legal-1' }, EXPORT_NOW);
      const x = await requestExport(state, layout, ExportRequestSchema.parse({ demand_id: d.id, formats: ['csv', 'parquet'] }), { user: 'legal-1', role: 'legal' }, EXPORT_NOW);
      return (await approveExport(state, layout, key, x.id, { user: 'cpni-1', role: 'cpni_officer' }, EXPORT_NOW)).id;
    });
    produced = path.join(data, 'exports', id);
    carrierPub = path.join(tempDir('carrier-key-'), 'carrier.pub.pem');
    writeFileSync(carrierPub, key.publicPem);
    otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  });

  /** A copy of the production to tamper with. */
  const copy = (): string => {
    const dir = path.join(tempDir('export-copy-'), 'x');
    cpSync(produced, dir, { recursive: true });
    return dir;
  };
  const problemsOf = (json: Record<string, unknown> | null) => (json?.['problems'] ?? []) as { file: string; field: string }[];

  it('exits 0 for an untouched export, with the key shipped in the directory and with --key', async () => {
    const shipped = await runCli(['exports', 'verify', produced]);
    expect(shipped.code, shipped.stderr).toBe(0);
    expect(shipped.json).toMatchObject({ ok: true, key_source: 'shipped', files_checked: ['cdrs.csv', 'cdrs.parquet'], problems: [] });
    const given = await runCli(['exports', 'verify', produced, '--key', carrierPub]);
    expect(given.code).toBe(0);
    expect(given.json).toMatchObject({ ok: true, key_source: 'given' });
  });

  it('exits 1 naming the file when one byte of a data file changes', async () => {
    const dir = copy();
    const f = path.join(dir, 'cdrs.csv');
    const bytes = readFileSync(f);
    const at = bytes.indexOf('+1212555');
    bytes[at + 3] = bytes[at + 3] === 0x39 ? 0x38 : 0x39; // one digit of a number, same size
    writeFileSync(f, bytes);
    const r = await runCli(['exports', 'verify', dir]);
    expect(r.code).toBe(1);
    expect(problemsOf(r.json)).toEqual([expect.objectContaining({ file: 'cdrs.csv', field: 'sha256' })]);
    expect((r.json?.['error'] as { code: string }).code).toBe('TH_EXPORT_VERIFY');
    expect(r.stderr).toContain('cdrs.csv: sha256');
  });

  it('exits 1 naming each field of manifest.json that was edited', async () => {
    const dir = copy();
    const f = path.join(dir, 'manifest.json');
    const m = JSON.parse(readFileSync(f, 'utf8')) as Record<string, any>;
    m['rows'] = 1;
    m['scope']['numbers'] = ['+12125551234'];
    writeFileSync(f, JSON.stringify(m, null, 2) + '\n');
    const r = await runCli(['exports', 'verify', dir]);
    expect(r.code).toBe(1);
    expect(problemsOf(r.json).map((p) => `${p.file} ${p.field}`)).toEqual(['manifest.json rows', 'manifest.json scope.numbers[1]']);
  });

  it('fails with --key when the manifest was signed with another key, though the key shipped beside it agrees', async () => {
    const dir = copy();
    const m = ManifestSchema.parse(JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')));
    // a forger with a key of their own, named the way tracehop names keys (SHA-256 of the SPKI)
    const kid = createHash('sha256').update(otherKey.publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
    const forged = await signManifest({ ...m, approved_by: 'nobody', signature: { ...m.signature, kid } }, { privateKey: otherKey.privateKey, kid });
    writeFileSync(path.join(dir, 'manifest.json'), forged.json);
    writeFileSync(path.join(dir, 'manifest.jws'), forged.jws + '\n');
    writeFileSync(path.join(dir, 'signing-key.pub.pem'), otherKey.publicKey.export({ type: 'spki', format: 'pem' }) as string);
    // the shipped key proves only that the files match the manifest
    expect((await runCli(['exports', 'verify', dir])).code).toBe(0);
    const r = await runCli(['exports', 'verify', dir, '--key', carrierPub]);
    expect(r.code).toBe(1);
    expect(problemsOf(r.json).map((p) => `${p.file} ${p.field}`)).toContain('manifest.jws signature');
  });

  it('exits 1 when the signature was made with another key than the one shipped', async () => {
    const dir = copy();
    const m = ManifestSchema.parse(JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')));
    writeFileSync(path.join(dir, 'manifest.jws'), (await signManifest(m, { privateKey: otherKey.privateKey, kid: m.signature.kid })).jws);
    const r = await runCli(['exports', 'verify', dir]);
    expect(r.code).toBe(1);
    expect(problemsOf(r.json)).toEqual([expect.objectContaining({ file: 'manifest.jws', field: 'signature' })]);
  });

  it('exits 1 naming a listed file that is missing and a file the manifest does not list', async () => {
    const dir = copy();
    rmSync(path.join(dir, 'cdrs.parquet'));
    writeFileSync(path.join(dir, 'extra.csv'), 'call_id\nplanted\n');
    const r = await runCli(['exports', 'verify', dir]);
    expect(r.code).toBe(1);
    expect(problemsOf(r.json).map((p) => `${p.file} ${p.field}`)).toEqual(['cdrs.parquet file', 'extra.csv file']);
  });

  it('exits 2 when no directory is given', async () => {
    const r = await runCli(['exports', 'verify']);
    expect(r.code).toBe(2);
    expect(r.json).toMatchObject({ ok: false, error: { code: 'TH_USAGE' } });
  });
});
