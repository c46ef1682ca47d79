import { createPublicKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { readChain, verifyChain } from '../../engine/intercepts/intercept-chain.ts';
import { checkExpiries } from '../../engine/intercepts/intercept-service.ts';
import { loadSigningKey } from '../../engine/keys/signing-key.ts';
import { withState } from '../../engine/state/state-store.ts';
import { dataLayout } from '../../engine/storage/layout.ts';
import { parseCommandArgs, printResult, requireOption, say, UsageError } from '../output.ts';

/**
 * tracehop intercepts export --data DIR --out CHAIN.jsonl
 * tracehop intercepts verify (--data DIR | CHAIN.jsonl) [--key PUB.pem]   names the first bad entry
 * tracehop intercepts check-expiries --data DIR [--now ISO]               the expiry job, once
 */
export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseCommandArgs(rest, { data: { type: 'string' }, out: { type: 'string' }, key: { type: 'string' }, now: { type: 'string' }, 'signing-key': { type: 'string' } });
  if (sub === 'export') {
    const layout = dataLayout(requireOption(values.data, 'data'));
    const chain = await withState(layout, (s) => readChain(s));
    const out = requireOption(values.out, 'out');
    writeFileSync(out, chain.map((c) => JSON.stringify(c)).join('\n') + (chain.length ? '\n' : ''));
    printResult({ ok: true, out, entries: chain.length });
    return 0;
  }
  if (sub === 'verify') {
    let lines: { entry: unknown; hash: unknown; jws: unknown }[];
    let publicKey;
    if (values.data) {
      const layout = dataLayout(values.data);
      lines = await withState(layout, (s) => readChain(s));
      publicKey = values.key ? createPublicKey(readFileSync(values.key)) : (await loadSigningKey(layout, values['signing-key'] ? { keyFile: values['signing-key'] } : {})).publicKey;
    } else {
      const file = positionals[0];
      if (!file) throw new UsageError('give --data DIR or a CHAIN.jsonl file');
      if (!values.key) throw new UsageError('verifying an exported chain needs --key PUB.pem');
      const text = readFileSync(file, 'utf8');
      lines = text.split('\n').filter((l) => l.trim() !== '').map((l, i) => {
        try {
          return JSON.parse(l) as { entry: unknown; hash: unknown; jws: unknown };
        } catch {
          return { entry: { seq: i + 1, corrupt: true }, hash: '', jws: '' };
        }
      });
      publicKey = createPublicKey(readFileSync(values.key));
    }
    const v = await verifyChain(lines, publicKey);
    if (!v.ok) say(`chain broken at entry ${v.first_bad}: ${v.reason}`);
    else say(`chain of ${v.entries} entries verifies`);
    printResult(v);
    return v.ok ? 0 : 1;
  }
  if (sub === 'check-expiries') {
    const layout = dataLayout(requireOption(values.data, 'data'));
    const now = values.now ? new Date(values.now) : new Date();
    if (Number.isNaN(now.getTime())) throw new UsageError('--now takes an ISO time');
    const key = await loadSigningKey(layout, values['signing-key'] ? { keyFile: values['signing-key'] } : {});
    const r = await withState(layout, (s) => checkExpiries(s, key, now));
    printResult({ ok: true, ...r });
    return 0;
  }
  throw new UsageError('intercepts export | verify | check-expiries');
}
