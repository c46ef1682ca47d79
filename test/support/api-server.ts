import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../api/server.ts';
import { createAccount, type NewAccount } from '../../engine/accounts/accounts.ts';
import { ROLES, type Role } from '../../engine/accounts/roles.ts';
import { openState } from '../../engine/state/state-store.ts';
import { dataLayout } from '../../engine/storage/layout.ts';
import { tempDir } from './cdr-fixtures.ts';

/** A real tracehop server on a loopback port, with one account per role. */
export interface TestServer {
  readonly app: FastifyInstance;
  readonly base: string;
  readonly data: string;
  readonly tokens: Record<Role, string>;
  call(method: string, url: string, opts?: { role?: Role; token?: string; body?: unknown; raw?: Buffer | string; headers?: Record<string, string> }): Promise<{ status: number; json: any; text: string; headers: Headers }>;
  addAccount(a: NewAccount): Promise<string>;
  close(): Promise<void>;
}

export async function startServer(opts: { now?: () => Date; data?: string } = {}): Promise<TestServer> {
  const data = opts.data ?? path.join(tempDir('api-'), 'data');
  const app = await buildServer({ dataDir: data, ...(opts.now ? { now: opts.now } : {}) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const state = await openState(dataLayout(data));
  const tokens = {} as Record<Role, string>;
  const addAccount = async (a: NewAccount) => (await createAccount(state, a)).token;
  for (const role of ROLES) {
    tokens[role] = await addAccount(
      role === 'le_officer'
        ? { user: `u-${role}`, role, agency: 'Springfield PD', country: 'US', badge: 'B-1001', email: 'officer@springfield.example', supervisor_email: 'chief@springfield.example' }
        : { user: `u-${role}`, role },
    );
  }
  return {
    app,
    base,
    data,
    tokens,
    addAccount,
    async call(method, url, o = {}) {
      const token = o.token ?? (o.role ? tokens[o.role] : undefined);
      const res = await fetch(base + url, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(o.body !== undefined || o.raw !== undefined ? { 'content-type': 'application/json' } : {}), ...o.headers },
        ...(o.raw !== undefined ? { body: o.raw } : o.body !== undefined ? { body: JSON.stringify(o.body) } : {}),
      });
      const text = await res.text();
      let json: any = null;
      try {
        json = JSON.parse(text);
      } catch {
        json = null;
      }
      return { status: res.status, json, text, headers: res.headers };
    },
    async close() {
      state.close();
      await app.close();
    },
  };
}
