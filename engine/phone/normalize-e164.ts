/**
 * Phone number normalization to E.164 (ITU-T E.164; NANP numbering plan).
 *
 * The same rules run vectorized inside DuckDB (queries/macros/e164.sql) for bulk
 * ingest; test/engine/phone/normalize-e164.test.ts proves by property test that both
 * give the same answer for any input. Keep them in step.
 *
 * Rules:
 *  - a `tel:`, `sip:` or `sips:` URI contributes its user part (before `@` or `;`);
 *  - visual separators (space, tab, CR, LF, `-`, `.`, `(`, `)`, `/`) are ignored;
 *  - NANP: 10 digits, or 11 starting with 1, or `+1` + 10 digits; the NPA and the NXX
 *    must start with 2-9 (NANP numbering plan: N = 2-9);
 *  - international: `+` or the US international prefix `011`, then a country code that
 *    is not 0 and 7 to 15 digits in all (E.164 §6.1 caps a number at 15 digits);
 *    `+1`/`0111` numbers must still be valid NANP;
 *  - anything else (letters, too few or too many digits) is not a number.
 */
export type E164Result =
  | { readonly ok: true; readonly e164: string }
  | { readonly ok: false; readonly reason: 'empty' | 'not_a_number' | 'invalid_nanp' | 'too_long' | 'too_short' };

const SEPARATORS = /[ \t\r\n().\-/]/g;
const NANP10 = /^[2-9]\d{2}[2-9]\d{6}$/;

/** The user part of a tel:/sip: URI, lower-cased, separators removed (mirrors th_e164_core in SQL). */
export const stripUri = (raw: string): string =>
  raw
    .toLowerCase()
    .replace(SEPARATORS, '')
    .replace(/^(tel:|sips?:)/, '')
    .replace(/[@;].*$/s, '');

export function normalizeE164(raw: string | null | undefined): E164Result {
  if (raw === null || raw === undefined) return { ok: false, reason: 'empty' };
  const s = stripUri(raw);
  if (s === '') return { ok: false, reason: 'empty' };
  let international = false;
  let digits: string;
  if (s.startsWith('+')) {
    international = true;
    digits = s.slice(1);
  } else if (s.startsWith('011')) {
    international = true;
    digits = s.slice(3);
  } else {
    digits = s;
  }
  if (!/^\d+$/.test(digits)) return { ok: false, reason: 'not_a_number' };
  if (digits.startsWith('1') && (international || digits.length === 11)) {
    const national = digits.slice(1);
    return NANP10.test(national) ? { ok: true, e164: `+1${national}` } : { ok: false, reason: 'invalid_nanp' };
  }
  if (!international) {
    if (digits.length === 10) return NANP10.test(digits) ? { ok: true, e164: `+1${digits}` } : { ok: false, reason: 'invalid_nanp' };
    return { ok: false, reason: digits.length < 10 ? 'too_short' : 'too_long' };
  }
  if (digits.startsWith('0')) return { ok: false, reason: 'not_a_number' };
  if (digits.length > 15) return { ok: false, reason: 'too_long' };
  if (digits.length < 7) return { ok: false, reason: 'too_short' };
  return { ok: true, e164: `+${digits}` };
}

/** E.164 or null: for call sites that only need the value. */
export const toE164 = (raw: string | null | undefined): string | null => {
  const r = normalizeE164(raw);
  return r.ok ? r.e164 : null;
};

/**
 * Calling-number values that mean "withheld" rather than "malformed" (RFC 3323 anonymity,
 * switch placeholders). They are stored as an empty calling number, not rejected: a
 * withheld number is a fact about the call that a trace-back analyst needs.
 */
export const WITHHELD_CALLING = ['anonymous', 'restricted', 'private', 'unavailable', 'unknown', 'withheld'] as const;
export const isWithheld = (raw: string): boolean => (WITHHELD_CALLING as readonly string[]).includes(stripUri(raw));

/** NANP display form, `212-555-1234`, as legal demands write numbers. */
export const formatNanpDashed = (e164: string): string | null => {
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
};
