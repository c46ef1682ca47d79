import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Bad usage: exit code 2 (DESIGN.md "CLI contract"). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The one JSON object every command prints as its last stdout line. */
export function printResult(result: unknown): void {
  process.stdout.write(JSON.stringify(result) + '\n');
}

/** Human-oriented lines go to stderr so stdout's last line stays the JSON result. */
export function say(line: string): void {
  process.stderr.write(line + '\n');
}

/** node:util parseArgs with usage errors turned into UsageError. */
export function parseCommandArgs<T extends ParseArgsConfig['options']>(argv: string[], options: T, allowPositionals = true) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export function requireOption<T>(value: T | undefined, flag: string): T {
  if (value === undefined || value === '') throw new UsageError(`missing required option --${flag}`);
  return value;
}
