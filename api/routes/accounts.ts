import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createAccount, listAccounts, NewAccountSchema, setDisabled } from '../../engine/accounts/accounts.ts';
import { thError } from '../../engine/errors.ts';
import type { ApiContext } from '../api-context.ts';

/** Accounts (admin): create (the token is in the response once), list, disable or enable. */
export default async function accounts(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post('/v1/accounts', { config: { roles: ['admin'] }, schema: { body: NewAccountSchema } }, async (req, reply) => {
    const { account, token } = await createAccount(ctx.state, req.body, ctx.now());
    await ctx.audit(req, { action: 'create', resource: 'account', resource_ids: [account.id], outcome: 'ok', status: 201, detail: { user: account.user, role: account.role } });
    return reply.code(201).send({ ...account, token });
  });
  r.get('/v1/accounts', { config: { roles: ['admin', 'auditor'] } }, async (req) => {
    const list = await listAccounts(ctx.state);
    await ctx.audit(req, { action: 'read', resource: 'account', outcome: 'ok', status: 200, detail: { count: list.length } });
    return { accounts: list };
  });
  r.patch(
    '/v1/accounts/:user',
    { config: { roles: ['admin'] }, schema: { params: z.object({ user: z.string().max(64) }), body: z.strictObject({ disabled: z.boolean() }) } },
    async (req) => {
      if (!(await setDisabled(ctx.state, req.params.user, req.body.disabled))) throw thError('TH_NOT_FOUND', `no account ${req.params.user}`);
      app.tracehopForgetTokens();
      await ctx.audit(req, { action: req.body.disabled ? 'disable' : 'enable', resource: 'account', resource_ids: [req.params.user], outcome: 'ok', status: 200 });
      return { user: req.params.user, disabled: req.body.disabled };
    },
  );
}
