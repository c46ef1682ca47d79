import { buildServer } from '../../api/server.ts';
import { parseCommandArgs, printResult, requireOption, say, UsageError } from '../output.ts';

/** tracehop serve --data DIR [--port 8080] [--host 127.0.0.1] [--signing-key FILE] */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { data: { type: 'string' }, port: { type: 'string', default: '8080' }, host: { type: 'string', default: '127.0.0.1' }, 'signing-key': { type: 'string' } }, false);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port takes 0-65535');
  const app = await buildServer({ dataDir: requireOption(values.data, 'data'), logger: true, ...(values['signing-key'] ? { signingKeyFile: values['signing-key'] } : {}) });
  const address = await app.listen({ port, host: values.host ?? '127.0.0.1' });
  say(`tracehop API on ${address} (OpenAPI at ${address}/docs)`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await app.close();
  printResult({ ok: true, address });
  return 0;
}
