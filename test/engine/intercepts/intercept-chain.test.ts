import { writeFileSync, readFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createIntercept, approveIntercept, extendIntercept, terminateIntercept, annotateIntercept, listIntercepts } from '../../../engine/intercepts/intercept-service.ts';
import { readChain, verifyChain } from '../../../engine/intercepts/intercept-chain.ts';
import { InterceptInputSchema } from '../../../engine/intercepts/intercept-schema.ts';
import { loadSigningKey } from '../../../engine/keys/signing-key.ts';
import { openState } from '../../../engine/state/state-store.ts';
import { dataLayout } from '../../../engine/storage/layout.ts';
import { tempDir } from '../../support/cdr-fixtures.ts';
import { interceptBody } from '../../support/intercept-body.ts';
import { runCli } from '../../support/run-cli.ts';

const NOW = new Date('2026-11-21T15:00:00Z');
const legal = { user: 'lee', role: 'legal' };
const senior = { user: 'sam', role: 'senior_officer' };
const senior2 = { user: 'sue', role: 'senior_officer' };

async function chainWith(n: number) {
  const data = path.join(tempDir('ic-'), 'data');
  const layout = dataLayout(data);
  const state = await openState(layout);
  await state.exec("INSERT INTO inventory VALUES ('+12125551001', 'Acme', 'c@a.example', '2019-01-01', TRUE, TRUE)");
  const key = await loadSigningKey(layout);
  for (let i = 0; i < n; i++) {
    const { view } = await createIntercept(state, layout, key, InterceptInputSchema.parse(interceptBody()), legal, NOW);
    await approveIntercept(state, key, view.id, senior, NOW);
    await annotateIntercept(state, key, view.id, `note ${i}`, legal, NOW);
  }
  state.close();
  return { data, layout, key };
}

describe('the signed intercept chain', () => {
  it('verifies, and names the entry after each kind of tampering', async () => {
    const { data, key } = await chainWith(3);
    const dir = path.dirname(data);
    const chainFile = path.join(dir, 'chain.jsonl');
    const pub = path.join(dir, 'pub.pem');
    writeFileSync(pub, key.publicPem);
    expect((await runCli(['intercepts', 'export', '--data', data, '--out', chainFile])).json).toMatchObject({ ok: true, entries: 9 });
    expect((await runCli(['intercepts', 'verify', chainFile, '--key', pub])).json).toEqual({ ok: true, entries: 9 });
    expect((await runCli(['intercepts', 'verify', '--data', data])).code).toBe(0);
    const lines = readFileSync(chainFile, 'utf8').trim().split('\n');
    const check = async (tampered: string[]) => {
      const f = path.join(dir, `t-${Math.random()}.jsonl`);
      writeFileSync(f, tampered.join('\n') + '\n');
      return (await runCli(['intercepts', 'verify', f, '--key', pub])).json as { ok: boolean; first_bad: number; reason: string };
    };
    // one byte changed in entry 2 (the approver's name)
    const flipped = [...lines];
    flipped[1] = flipped[1]!.replace('"actor":"sam"', '"actor":"sbm"');
    expect(flipped[1]).not.toBe(lines[1]);
    expect(await check(flipped)).toMatchObject({ ok: false, first_bad: 2 });
    const noteChanged = [...lines];
    noteChanged[5] = noteChanged[5]!.replace('note 1', 'note X');
    expect(await check(noteChanged)).toMatchObject({ ok: false, first_bad: 6 });
    // one entry deleted
    expect(await check(lines.filter((_, i) => i !== 3))).toMatchObject({ ok: false, first_bad: 5 });
    // two entries swapped
    const swapped = [...lines];
    [swapped[6], swapped[7]] = [swapped[7]!, swapped[6]!];
    expect(await check(swapped)).toMatchObject({ ok: false, first_bad: 8 });
    // another key
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
    writeFileSync(pub, other);
    expect(await check(lines)).toMatchObject({ ok: false, first_bad: 1 });
  });

  it('stays valid, and never shows an approval that did not happen, after any sequence of operations (property)', async () => {
    const op = fc.record({ kind: fc.constantFrom('create', 'approve', 'self-approve', 'extend', 'terminate', 'annotate', 'bad-extend'), target: fc.nat(5), by: fc.constantFrom(legal, senior, senior2) });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        const data = path.join(tempDir('icp-'), 'data');
        const layout = dataLayout(data);
        const state = await openState(layout);
        await state.exec("INSERT INTO inventory VALUES ('+12125551001', 'Acme', 'c@a.example', '2019-01-01', TRUE, TRUE)");
        const key = await loadSigningKey(layout);
        const ids: { id: string; creator: string }[] = [];
        for (const o of ops) {
          const t = ids[o.target % Math.max(1, ids.length)];
          try {
            if (o.kind === 'create' || !t) {
              const { view } = await createIntercept(state, layout, key, InterceptInputSchema.parse(interceptBody()), o.by, NOW);
              ids.push({ id: view.id, creator: o.by.user });
            } else if (o.kind === 'approve') await approveIntercept(state, key, t.id, o.by, NOW);
            else if (o.kind === 'self-approve') await approveIntercept(state, key, t.id, { user: t.creator, role: 'senior_officer' }, NOW);
            else if (o.kind === 'extend') await extendIntercept(state, layout, key, t.id, InterceptInputSchema.parse(interceptBody()).authorization, o.by, NOW);
            else if (o.kind === 'bad-extend') await extendIntercept(state, layout, key, t.id, { ...InterceptInputSchema.parse(interceptBody()).authorization, ends: '2030-01-01T00:00:00Z' }, o.by, NOW);
            else if (o.kind === 'terminate') await terminateIntercept(state, key, t.id, 'done', o.by, NOW);
            else await annotateIntercept(state, key, t.id, 'n', o.by, NOW);
          } catch {
            // refused operations leave no entry
          }
        }
        const chain = await readChain(state);
        expect(await verifyChain(chain, key.publicKey)).toEqual({ ok: true, entries: chain.length });
        for (const v of await listIntercepts(state, NOW)) {
          const approvals = chain.filter((c) => c.entry.intercept_id === v.id && c.entry.event === 'approve');
          if (v.status === 'active' || v.extended > 0) {
            expect(approvals).toHaveLength(1);
            expect(approvals[0]!.entry.role).toBe('senior_officer');
            expect(approvals[0]!.entry.actor).not.toBe(v.created_by);
          }
          const firstApprove = chain.findIndex((c) => c.entry.intercept_id === v.id && c.entry.event === 'approve');
          const firstExtend = chain.findIndex((c) => c.entry.intercept_id === v.id && c.entry.event === 'extend');
          if (firstExtend >= 0) expect(firstApprove).toBeGreaterThanOrEqual(0);
          if (firstExtend >= 0) expect(firstApprove).toBeLessThan(firstExtend);
        }
        state.close();
      }),
      { numRuns: 15 },
    );
  }, 120_000);
});
