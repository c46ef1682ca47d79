import { readFileSync } from 'node:fs';
import path from 'node:path';
import { verifyExportDir } from '../../engine/exports/verify-export.ts';
import { parseCommandArgs, printResult, say, UsageError } from '../output.ts';

/**
 * tracehop exports verify DIR [--key PUB.pem]
 *   Checks an export directory against its signed manifest: signature, manifest fields,
 *   each file's size and SHA-256. Exit 0 when it verifies, 1 naming each file and field
 *   that does not. Without --key it uses the signing-key.pub.pem shipped in DIR, which
 *   proves integrity but not who signed: pass the carrier's published key to check that.
 */
export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'verify') throw new UsageError('exports verify DIR [--key PUB.pem]');
  const { values, positionals } = parseCommandArgs(rest, { key: { type: 'string' } });
  const dir = positionals[0];
  if (!dir || positionals.length > 1) throw new UsageError('exports verify DIR [--key PUB.pem]: give exactly one export directory');
  let pem: Buffer | undefined;
  if (values.key !== undefined) {
    try {
      pem = readFileSync(values.key);
    } catch (e) {
      throw new UsageError(`--key ${values.key}: ${(e as Error).message}`);
    }
  }
  const v = await verifyExportDir(path.resolve(dir), pem ? { publicKeyPem: pem } : {});
  if (v.ok) {
    say(`export ${v.export_id} verifies: signature (key ${v.kid}, ${v.key_source === 'given' ? 'given with --key' : 'shipped in the directory; pass --key to check the signer'}), ${v.files_checked.length} files, ${v.rows} rows`);
    printResult(v);
    return 0;
  }
  for (const p of v.problems) say(`${p.file}: ${p.field}: ${p.message}`);
  printResult({ ...v, error: { code: 'TH_EXPORT_VERIFY', message: `the export does not verify: ${v.problems.map((p) => `${p.file} ${p.field}`).join(', ')}`, details: v.problems } });
  return 1;
}
