import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { thError } from '../errors.ts';
import type { StateStore } from '../state/state-store.ts';
import { ROLES, type Role } from './roles.ts';

/**
 * API accounts. A token is 32 random bytes shown once at creation and stored only as its
 * SHA-256, so a copy of the state store does not hand out working tokens. A
 * law-enforcement account is individual (one officer, never shared): it records the
 * officer's agency (US or Canadian only), badge or employee id, email and a supervisor's
 * email (carrier policy for the number look-up portal).
 */
export const NewAccountSchema = z
  .object({
    user: z.string().regex(/^[A-Za-z0-9._@-]{2,64}$/, '2-64 letters, digits, . _ @ -'),
    role: z.enum(ROLES),
    agency: z.string().min(2).max(200).optional(),
    country: z.enum(['US', 'CA']).optional(),
    badge: z.string().min(1).max(64).optional(),
    email: z.email().optional(),
    supervisor_email: z.email().optional(),
  })
  .superRefine((a, ctx) => {
    if (a.role !== 'le_officer') return;
    for (const k of ['agency', 'country', 'badge', 'email', 'supervisor_email'] as const) {
      if (!a[k]) ctx.addIssue({ code: 'custom', path: [k], message: `a law-enforcement account needs ${k} (US or Canadian agency)` });
    }
    if (a.email && a.supervisor_email && a.email.toLowerCase() === a.supervisor_email.toLowerCase()) {
      ctx.addIssue({ code: 'custom', path: ['supervisor_email'], message: 'the supervisor is another person than the officer' });
    }
  });
export type NewAccount = z.infer<typeof NewAccountSchema>;

export interface Account {
  readonly id: string;
  readonly user: string;
  readonly role: Role;
  readonly disabled: boolean;
}

export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

export async function createAccount(state: StateStore, input: NewAccount, now = new Date()): Promise<{ account: Account; token: string }> {
  const parsed = NewAccountSchema.safeParse(input);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw thError('TH_BAD_REQUEST', `account: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, { details });
  }
  const a = parsed.data;
  const existing = await state.one('SELECT id FROM accounts WHERE user_name = $u', { u: a.user });
  if (existing) throw thError('TH_CONFLICT', `account ${a.user} exists`);
  const token = `th_${randomBytes(32).toString('base64url')}`;
  const id = randomUUID();
  await state.exec(
    `INSERT INTO accounts (id, user_name, role, token_sha256, disabled, created_at, agency, agency_country, badge, email, supervisor_email)
     VALUES ($id, $u, $role, $h, FALSE, $at, $agency, $country, $badge, $email, $sup)`,
    { id, u: a.user, role: a.role, h: tokenHash(token), at: now.toISOString(), agency: a.agency ?? '', country: a.country ?? '', badge: a.badge ?? '', email: a.email ?? '', sup: a.supervisor_email ?? '' },
  );
  return { account: { id, user: a.user, role: a.role, disabled: false }, token };
}

export async function authenticate(state: StateStore, token: string): Promise<Account | null> {
  const r = await state.one<{ id: string; user_name: string; role: Role; disabled: boolean }>('SELECT id, user_name, role, disabled FROM accounts WHERE token_sha256 = $h', { h: tokenHash(token) });
  if (!r || r.disabled) return null;
  return { id: r.id, user: r.user_name, role: r.role, disabled: r.disabled };
}

export async function setDisabled(state: StateStore, user: string, disabled: boolean): Promise<boolean> {
  const r = await state.one<{ id: string }>('SELECT id FROM accounts WHERE user_name = $u', { u: user });
  if (!r) return false;
  await state.exec('UPDATE accounts SET disabled = $d WHERE id = $id', { d: disabled, id: r.id });
  return true;
}

export async function listAccounts(state: StateStore): Promise<Record<string, unknown>[]> {
  return state.all('SELECT id, user_name AS user, role, disabled, created_at::VARCHAR AS created_at, agency, agency_country AS country, badge, email, supervisor_email FROM accounts ORDER BY user_name');
}
