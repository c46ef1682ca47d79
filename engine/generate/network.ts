import type { Random } from './seeded-random.ts';

/**
 * The synthetic US voice network a corpus is drawn from: originating providers (with
 * customer accounts owning number blocks), transit providers, terminating providers, and
 * providers outside the corpus whose traffic enters through a transit. Each provider has
 * 1-2 switches with a fixed clock skew, and writes its CDRs in its own style.
 */
export type Role = 'origin' | 'transit' | 'terminating';
export type NumberStyle = 'e164' | 'ten' | 'eleven' | 'dashed' | 'paren' | 'tel' | 'sip';
export type TimeStyle = 'iso_z' | 'iso_offset' | 'epoch_ms';

export interface SwitchModel {
  readonly id: string;
  /** this switch's clock minus true time, ms */
  readonly skewMs: number;
}

export interface Customer {
  readonly account: string;
  /** NPA-NXX blocks the customer owns */
  readonly blocks: readonly string[];
  readonly robocaller: boolean;
}

export interface ProviderModel {
  readonly id: string;
  readonly role: Role;
  readonly switches: readonly SwitchModel[];
  readonly format: 'canonical' | 'ndjson';
  readonly numberStyle: NumberStyle;
  readonly timeStyle: TimeStyle;
  readonly customers: readonly Customer[];
  /** a transit that does not forward the Identity header */
  readonly dropsIdentity: boolean;
  /** terminating: NPA-NXX blocks of its subscribers */
  readonly blocks: readonly string[];
}

export interface NetworkModel {
  readonly providers: readonly ProviderModel[];
  readonly external: readonly string[];
}

const npaNxx = (r: Random): string => `${r.int(2, 9)}${r.int(0, 9)}${r.int(0, 9)}${r.int(2, 9)}${r.int(0, 9)}${r.int(0, 9)}`;

export function buildNetwork(r: Random, providers: number): NetworkModel {
  const n = Math.max(3, providers);
  const nOrigin = Math.max(1, Math.round(n * 0.4));
  const nTerm = Math.max(1, Math.round(n * 0.3));
  const nTransit = Math.max(1, n - nOrigin - nTerm);
  const numberStyles: NumberStyle[] = ['e164', 'ten', 'eleven', 'dashed', 'paren', 'tel', 'sip'];
  const timeStyles: TimeStyle[] = ['iso_z', 'iso_offset', 'epoch_ms'];
  const out: ProviderModel[] = [];
  const make = (role: Role, k: number): ProviderModel => {
    const id = `${role === 'origin' ? 'ORIG' : role === 'transit' ? 'TRNS' : 'TERM'}${k}`;
    const nSw = r.chance(0.5) ? 2 : 1;
    const switches = Array.from({ length: nSw }, (_, i) => ({ id: `${id.toLowerCase()}-sw${i + 1}`, skewMs: r.int(-3000, 3000) }));
    const customers =
      role === 'origin'
        ? Array.from({ length: r.int(3, 6) }, (_, i) => ({
            account: `${id}-CUST-${100 + i}`,
            blocks: [npaNxx(r), npaNxx(r)],
            robocaller: i === 0, // each origin has one customer that runs robocall campaigns
          }))
        : [];
    return {
      id,
      role,
      switches,
      // alternate so every corpus has both interchange formats
      format: (out.length % 2 === 0) !== r.chance(0.2) ? 'canonical' : 'ndjson',
      numberStyle: r.pick(numberStyles),
      timeStyle: r.pick(timeStyles),
      customers,
      dropsIdentity: role === 'transit' && k === nTransit && nTransit > 1,
      blocks: role === 'terminating' ? [npaNxx(r), npaNxx(r), npaNxx(r)] : [],
    };
  };
  for (let k = 1; k <= nOrigin; k++) out.push(make('origin', k));
  for (let k = 1; k <= nTransit; k++) out.push(make('transit', k));
  for (let k = 1; k <= nTerm; k++) out.push(make('terminating', k));
  return { providers: out, external: ['EXTCARRIER1', 'EXTCARRIER2', 'EXTCARRIER3'] };
}

export function formatNumber(e164: string, style: NumberStyle): string {
  if (!e164.startsWith('+1') || e164.length !== 12) return e164;
  const d = e164.slice(2);
  switch (style) {
    case 'e164':
      return e164;
    case 'ten':
      return d;
    case 'eleven':
      return `1${d}`;
    case 'dashed':
      return `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}`;
    case 'paren':
      return `(${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}`;
    case 'tel':
      return `tel:${e164}`;
    case 'sip':
      return `sip:${e164}@gw.example;user=phone`;
  }
}

export function formatTime(ms: number, style: TimeStyle): string {
  switch (style) {
    case 'epoch_ms':
      return String(ms);
    case 'iso_z':
      return new Date(ms).toISOString();
    case 'iso_offset': {
      // US Central wall time with its offset (CST -06:00 / CDT -05:00 by date)
      const off = centralOffsetMinutes(ms);
      const local = new Date(ms + off * 60_000).toISOString().slice(0, 23);
      const sign = off < 0 ? '-' : '+';
      const a = Math.abs(off);
      return `${local}${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
    }
  }
}

const centralFmt = new Intl.DateTimeFormat('en-US', { timeZone: 'America/Chicago', timeZoneName: 'shortOffset' });
const offsetCache = new Map<number, number>();
/** UTC offset of America/Chicago at `ms`, cached by hour. */
function centralOffsetMinutes(ms: number): number {
  const hour = Math.floor(ms / 3_600_000);
  let off = offsetCache.get(hour);
  if (off === undefined) {
    const name = centralFmt.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT-6';
    const m = /GMT([+-]\d+)(?::(\d+))?/.exec(name);
    off = m ? Number(m[1]) * 60 + Math.sign(Number(m[1])) * Number(m[2] ?? 0) : -360;
    offsetCache.set(hour, off);
  }
  return off;
}
