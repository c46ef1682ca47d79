import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { authenticate, tokenHash } from '../../engine/accounts/accounts.ts';
import { withState } from '../../engine/state/state-store.ts';
import { dataLayout } from '../../engine/storage/layout.ts';
import { tempDir } from '../support/cdr-fixtures.ts';
import { runCli } from '../support/run-cli.ts';

describe('tracehop accounts', () => {
  it('prints a new token once and stores only its hash; disable refuses it', async () => {
    const data = path.join(tempDir(), 'data');
    const r = await runCli(['accounts', 'add', '--data', data, '--user', 'alice', '--role', 'analyst']);
    expect(r.code).toBe(0);
    const token = String(r.json!['token']);
    expect(token).toMatch(/^th_[A-Za-z0-9_-]{43}$/);
    await withState(dataLayout(data), async (s) => {
      const rows = await s.all<{ token_sha256: string }>('SELECT token_sha256 FROM accounts');
      expect(rows).toEqual([{ token_sha256: tokenHash(token) }]);
      expect(await authenticate(s, token)).toMatchObject({ user: 'alice', role: 'analyst' });
    });
    expect((await runCli(['accounts', 'disable', '--data', data, '--user', 'alice'])).code).toBe(0);
    expect(await withState(dataLayout(data), (s) => authenticate(s, token))).toBeNull();
    expect((await runCli(['accounts', 'list', '--data', data])).stdout).not.toContain(token);
  });

  it('refuses an unknown role (2) and a law-enforcement account without agency details (1)', async () => {
    const data = path.join(tempDir(), 'data');
    expect((await runCli(['accounts', 'add', '--data', data, '--user', 'bob', '--role', 'root'])).code).toBe(2);
    const le = await runCli(['accounts', 'add', '--data', data, '--user', 'ofc', '--role', 'le_officer']);
    expect(le.code).not.toBe(0);
    const ok = await runCli(['accounts', 'add', '--data', data, '--user', 'ofc', '--role', 'le_officer', '--agency', 'Springfield PD', '--country', 'US', '--badge', 'B-9', '--email', 'o@spd.example', '--supervisor-email', 's@spd.example']);
    expect(ok.code).toBe(0);
  });
});
