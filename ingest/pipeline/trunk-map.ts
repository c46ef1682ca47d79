import { readFileSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { exec } from '../../engine/db/duckdb.ts';
import { thError } from '../../engine/errors.ts';

/**
 * A trunk map (`trunk,carrier` CSV, header optional) names the carrier behind each trunk
 * group, filling ingress_carrier / egress_carrier for switches that log only trunk names.
 */
export interface TrunkMapEntry {
  readonly trunk: string;
  readonly carrier: string;
}

export function readTrunkMap(file: string): TrunkMapEntry[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (e) {
    throw thError('TH_INPUT_TRUNK_MAP', `cannot read trunk map ${file}: ${(e as Error).message}`, { cause: e });
  }
  const entries: TrunkMapEntry[] = [];
  const seen = new Map<string, number>();
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '' || line.trim().startsWith('#')) return;
    const parts = line.split(',').map((p) => p.trim().replace(/^"|"$/g, ''));
    if (i === 0 && parts[0]?.toLowerCase() === 'trunk') return;
    if (parts.length !== 2 || !parts[0] || !parts[1]) {
      throw thError('TH_INPUT_TRUNK_MAP', `trunk map ${file} line ${i + 1}: expected "trunk,carrier", got "${line.slice(0, 80)}"`, { details: [{ line: i + 1 }] });
    }
    const prev = seen.get(parts[0]);
    if (prev !== undefined) {
      throw thError('TH_INPUT_TRUNK_MAP', `trunk map ${file} line ${i + 1}: trunk '${parts[0]}' already mapped on line ${prev}`, { details: [{ line: i + 1 }] });
    }
    seen.set(parts[0], i + 1);
    entries.push({ trunk: parts[0], carrier: parts[1] });
  });
  return entries;
}

export async function loadTrunkMap(con: DuckDBConnection, entries: readonly TrunkMapEntry[]): Promise<void> {
  await exec(con, 'CREATE OR REPLACE TEMP TABLE th_trunk_map (trunk VARCHAR PRIMARY KEY, carrier VARCHAR NOT NULL)');
  if (entries.length === 0) return;
  await exec(
    con,
    `INSERT INTO th_trunk_map SELECT t.trunk, t.carrier FROM (SELECT unnest(from_json($m, '[{"trunk":"VARCHAR","carrier":"VARCHAR"}]'), recursive := true)) t`,
    { m: JSON.stringify(entries) },
  );
}
