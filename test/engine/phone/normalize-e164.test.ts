import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { connect, openDuck, all } from '../../../engine/db/duckdb.ts';
import { normalizeE164, toE164 } from '../../../engine/phone/normalize-e164.ts';

describe('normalizeE164', () => {
  it.each([
    ['2125551234', '+12125551234'],
    ['12125551234', '+12125551234'],
    ['+1 (212) 555-1234', '+12125551234'],
    ['212.555.1234', '+12125551234'],
    ['(212) 555-1234', '+12125551234'],
    ['tel:+12125551234', '+12125551234'],
    ['sip:+12125551234@host;user=phone', '+12125551234'],
    ['SIPS:2125551234@10.0.0.1:5061', '+12125551234'],
    ['+44 20 7946 0958', '+442079460958'],
    ['011 44 20 7946 0958', '+442079460958'],
    ['0111 212 555 1234', '+12125551234'],
  ])('normalizes %s to %s', (input, expected) => {
    expect(toE164(input)).toBe(expected);
  });

  it.each([
    ['', 'empty'],
    ['1125551234', 'invalid_nanp'],
    ['2121551234', 'invalid_nanp'],
    ['212555123', 'too_short'],
    ['212555123456', 'too_long'],
    ['+1212555123', 'invalid_nanp'],
    ['+4412345678901234', 'too_long'],
    ['1-800-FLOWERS', 'not_a_number'],
    ['+0441234567', 'not_a_number'],
  ])('rejects %s (%s)', (input, reason) => {
    expect(normalizeE164(input)).toEqual({ ok: false, reason });
  });
});

describe('the SQL macro th_e164 and the TypeScript normalizer', () => {
  let inst: DuckDBInstance;
  let con: DuckDBConnection;
  beforeAll(async () => {
    inst = await openDuck();
    con = await connect(inst);
  });
  afterAll(() => {
    con.closeSync();
    inst.closeSync();
  });

  const sqlBatch = async (inputs: string[]): Promise<(string | null)[]> => {
    const rows = await all<{ r: string }>(
      con,
      `SELECT to_json(list_transform(from_json($xs, '["VARCHAR"]'), x -> th_e164(x)))::VARCHAR AS r`,
      { xs: JSON.stringify(inputs) },
    );
    return JSON.parse(rows[0]!.r) as (string | null)[];
  };

  // Inputs shaped like the numbers switches and people write, plus noise.
  const digit = fc.constantFrom(...'0123456789');
  const digits = (min: number, max: number) => fc.array(digit, { minLength: min, maxLength: max }).map((d) => d.join(''));
  const sep = fc.constantFrom('', ' ', '-', '.', '(', ')', '/', '\t');
  const numberLike = fc.oneof(
    digits(0, 17),
    fc.tuple(fc.constantFrom('', '+', '+1', '1', '011', '0111', '+44'), sep, digits(3, 3), sep, digits(3, 3), sep, digits(4, 5)).map((p) => p.join('')),
    fc.tuple(fc.constantFrom('tel:', 'sip:', 'sips:', 'TEL:', 'Sip:'), fc.constantFrom('', '+', '+1'), digits(7, 16), fc.constantFrom('', '@host', ';user=phone', '@10.0.0.1:5060;user=phone')).map((p) => p.join('')),
    fc.string({ maxLength: 20 }),
  );

  it('agree on every input (property)', async () => {
    const samples = fc.sample(numberLike, { numRuns: 5000, seed: 42 });
    const sql = await sqlBatch(samples);
    samples.forEach((s, i) => {
      expect([s, sql[i] ?? null]).toEqual([s, toE164(s)]);
    });
  });
});
