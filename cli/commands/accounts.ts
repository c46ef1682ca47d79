import { createAccount, listAccounts, setDisabled } from '../../engine/accounts/accounts.ts';
import { ROLES } from '../../engine/accounts/roles.ts';
import { withState } from '../../engine/state/state-store.ts';
import { dataLayout } from '../../engine/storage/layout.ts';
import { parseCommandArgs, printResult, requireOption, say, UsageError } from '../output.ts';

/**
 * tracehop accounts add --data DIR --user NAME --role ROLE [--agency A --country US|CA --badge B --email E --supervisor-email S]
 *   prints the new API token once (it is stored only as a hash)
 * tracehop accounts disable|enable --data DIR --user NAME
 * tracehop accounts list --data DIR
 */
export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { values } = parseCommandArgs(
    rest,
    { data: { type: 'string' }, user: { type: 'string' }, role: { type: 'string' }, agency: { type: 'string' }, country: { type: 'string' }, badge: { type: 'string' }, email: { type: 'string' }, 'supervisor-email': { type: 'string' } },
    false,
  );
  const layout = dataLayout(requireOption(values.data, 'data'));
  if (sub === 'add') {
    const role = requireOption(values.role, 'role');
    if (!(ROLES as readonly string[]).includes(role)) throw new UsageError(`--role is one of ${ROLES.join(', ')}`);
    const r = await withState(layout, (s) =>
      createAccount(s, {
        user: requireOption(values.user, 'user'),
        role: role as (typeof ROLES)[number],
        ...(values.agency ? { agency: values.agency } : {}),
        ...(values.country ? { country: values.country as 'US' | 'CA' } : {}),
        ...(values.badge ? { badge: values.badge } : {}),
        ...(values.email ? { email: values.email } : {}),
        ...(values['supervisor-email'] ? { supervisor_email: values['supervisor-email'] } : {}),
      }),
    );
    say(`account ${r.account.user} (${r.account.role}) created; the token is shown this once`);
    printResult({ ok: true, ...r.account, token: r.token });
    return 0;
  }
  if (sub === 'disable' || sub === 'enable') {
    const ok = await withState(layout, (s) => setDisabled(s, requireOption(values.user, 'user'), sub === 'disable'));
    printResult({ ok, user: values.user, disabled: sub === 'disable' });
    return ok ? 0 : 1;
  }
  if (sub === 'list') {
    printResult({ ok: true, accounts: await withState(layout, (s) => listAccounts(s)) });
    return 0;
  }
  throw new UsageError('accounts add | disable | enable | list');
}
