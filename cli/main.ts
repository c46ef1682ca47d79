import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isTraceHopError } from '../engine/errors.ts';
import { printResult, UsageError } from './output.ts';

/**
 * `tracehop <command> ...`: each command is `cli/commands/<command>.ts` exporting
 * `run(argv: string[]): Promise<number>`. Every command prints one JSON object as its
 * last stdout line (DESIGN.md "CLI contract"); exit 0 done, 1 done with rejected
 * input, 2 bad usage.
 */
const commandsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'commands');

export const listCommands = (): string[] =>
  readdirSync(commandsDir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.replace(/\.ts$/, ''))
    .sort();

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    printResult({ ok: true, usage: 'tracehop <command> [options]', commands: listCommands() });
    return name ? 0 : 2;
  }
  const file = path.join(commandsDir, `${name}.ts`);
  if (!/^[a-z][a-z-]*$/.test(name) || !existsSync(file)) {
    printResult({ ok: false, error: { code: 'TH_USAGE', message: `unknown command '${name}'`, details: listCommands() } });
    return 2;
  }
  try {
    const mod = (await import(pathToFileURL(file).href)) as { run: (argv: string[]) => Promise<number> };
    return await mod.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      printResult({ ok: false, error: { code: 'TH_USAGE', message: e.message } });
      return 2;
    }
    if (isTraceHopError(e)) {
      process.stderr.write(`tracehop ${name}: ${e.code}: ${e.message}\n`);
      printResult({ ok: false, error: e.toJSON() });
      return e.code === 'TH_USAGE' ? 2 : 1;
    }
    process.stderr.write(`tracehop ${name}: ${(e as Error).stack ?? String(e)}\n`);
    printResult({ ok: false, error: { code: 'TH_INTERNAL', message: (e as Error).message } });
    return 1;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(String(e) + '\n');
      process.exitCode = 1;
    },
  );
}
