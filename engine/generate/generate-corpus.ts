import { createWriteStream, mkdirSync, writeFileSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import type { KeyObject } from 'node:crypto';
import { CANONICAL_COLUMN_NAMES, type CanonicalColumn } from '../cdr/schema.ts';
import { passportTn, signPassport } from '../stir/sign-passport.ts';
import { buildNetwork, formatNumber, formatTime, type ProviderModel } from './network.ts';
import { providerKey, x5uFor } from './provider-keys.ts';
import { seededRandom, type Random } from './seeded-random.ts';

/**
 * `tracehop generate`: a synthetic multi-provider corpus with ground truth (issue 3 item 7),
 * deterministic by seed (every byte but the ECDSA signature segments, whose nonce is random
 * per FIPS 186-4). Every call is followed hop by hop from its origin (or from the
 * carrier outside the corpus it entered through) to the terminating provider; each
 * provider's switches write the CDR of their leg in that provider's own number and time
 * style, with their own clock skew and a billed duration that may differ by a second.
 */
export interface GenerateOptions {
  readonly out: string;
  readonly calls: number;
  readonly providers: number;
  readonly seed: number;
  readonly days?: number;
  /** last day of traffic, YYYY-MM-DD (default: yesterday, UTC) */
  readonly end?: string;
}

export interface GenerateResult {
  readonly out: string;
  readonly calls: number;
  readonly rows: number;
  readonly files: number;
  readonly providers: readonly string[];
  readonly elapsed_ms: number;
}

export type CallKind = 'normal' | 'robocall' | 'decoy' | 'external';

export interface TruthHop {
  readonly provider_id: string;
  readonly switch_id: string;
  readonly call_id: string;
}

export interface TruthLine {
  readonly call_key: string;
  readonly kind: CallKind;
  readonly calling: string;
  readonly called: string;
  /** true INVITE time at the terminating switch (no clock skew), ISO UTC */
  readonly at: string;
  readonly duration_s: number;
  readonly answered: boolean;
  readonly origin: { provider_id: string; ingress_trunk: string; attestation: string } | null;
  readonly left_corpus_carrier: string | null;
  /** from the terminating switch back to the origin */
  readonly path: readonly TruthHop[];
  readonly attestation: string;
  readonly origid: string;
  readonly identity_lost_at: string | null;
}

class SwitchFile {
  private buf: string[] = [];
  private size = 0;
  readonly stream: WriteStream;
  rows = 0;
  private seq = 0;
  constructor(
    readonly file: string,
    readonly provider: ProviderModel,
    readonly columns: readonly CanonicalColumn[],
  ) {
    this.stream = createWriteStream(file, { highWaterMark: 1 << 22 });
    if (provider.format === 'canonical') this.push(columns.join(',') + '\n');
  }
  nextCallId(switchId: string): string {
    this.seq += 1;
    return `${switchId}-${String(this.seq).padStart(8, '0')}`;
  }
  push(s: string): void {
    this.buf.push(s);
    this.size += s.length;
  }
  async flushIfBig(): Promise<void> {
    if (this.size < 1 << 20) return;
    await this.flush();
  }
  async flush(): Promise<void> {
    if (this.buf.length === 0) return;
    const chunk = this.buf.join('');
    this.buf = [];
    this.size = 0;
    if (!this.stream.write(chunk)) await new Promise<void>((r) => this.stream.once('drain', () => r()));
  }
  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((r) => this.stream.end(() => r()));
  }
}

const csvField = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

export async function generateCorpus(opts: GenerateOptions): Promise<GenerateResult> {
  const t0 = Date.now();
  const r = seededRandom(opts.seed);
  const net = buildNetwork(r, opts.providers);
  const days = opts.days ?? 3;
  const endDay = opts.end ?? new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const endMs = Date.parse(`${endDay}T00:00:00Z`) + 86_400_000;
  const startMs = endMs - days * 86_400_000;
  mkdirSync(path.join(opts.out, 'keys'), { recursive: true });

  const origins = net.providers.filter((p) => p.role === 'origin');
  const transits = net.providers.filter((p) => p.role === 'transit');
  const terms = net.providers.filter((p) => p.role === 'terminating');
  const ip = new Map(net.providers.map((p, i) => [p.id, `198.51.100.${10 + i}`]));
  net.external.forEach((e, i) => ip.set(e, `203.0.113.${10 + i}`));

  // keys of every provider that signs (originating providers and the outside carriers)
  const keys = new Map<string, KeyObject>();
  for (const p of [...origins.map((o) => o.id), ...net.external]) {
    const k = providerKey(opts.seed, p);
    keys.set(p, k);
    writeFileSync(path.join(opts.out, 'keys', `${p}.key.pem`), k.export({ type: 'pkcs8', format: 'pem' }) as string, { mode: 0o600 });
  }

  const files = new Map<string, SwitchFile>();
  const manifest: { path: string; format: string }[] = [];
  for (const p of net.providers) {
    mkdirSync(path.join(opts.out, p.id), { recursive: true });
    const columns = shuffled(r, CANONICAL_COLUMN_NAMES);
    for (const sw of p.switches) {
      const rel = path.join(p.id, `${sw.id}.${p.format === 'canonical' ? 'csv' : 'ndjson'}`);
      files.set(sw.id, new SwitchFile(path.join(opts.out, rel), p, columns));
      manifest.push({ path: rel, format: p.format });
    }
  }
  const truth = createWriteStream(path.join(opts.out, 'truth.ndjson'), { highWaterMark: 1 << 22 });
  let truthBuf: string[] = [];
  let rows = 0;
  let calls = 0;
  const target = opts.calls;

  const emitCall = async (kind: CallKind, atMs: number, calledFixed?: string): Promise<number> => {
    const term = r.pick(terms);
    const called = calledFixed ?? `+1${r.pick(term.blocks)}${String(r.int(0, 9999)).padStart(4, '0')}`;
    let origin: ProviderModel | null = null;
    let customer: ProviderModel['customers'][number] | null = null;
    let ext: string | null = null;
    let calling: string;
    let attest: 'A' | 'B' | 'C' | '' = '';
    if (kind === 'external') {
      ext = r.pick(net.external);
      calling = `+1${r.int(2, 9)}${r.int(10, 99)}${r.int(2, 9)}${String(r.int(0, 999999)).padStart(6, '0')}`;
      attest = r.chance(0.5) ? r.pick(['B', 'C'] as const) : '';
    } else {
      origin = r.pick(origins);
      if (kind === 'robocall') {
        customer = origin.customers.find((c) => c.robocaller)!;
        // neighbor spoofing: the calling NPA-NXX copies the called one (80%)
        calling = r.chance(0.8) ? `${called.slice(0, 8)}${String(r.int(0, 9999)).padStart(4, '0')}` : `+1${r.pick(customer.blocks)}${String(r.int(0, 9999)).padStart(4, '0')}`;
        attest = r.chance(0.15) ? 'A' : r.chance(0.6) ? 'B' : 'C';
      } else {
        customer = r.pick(origin.customers.filter((c) => !c.robocaller));
        calling = `+1${r.pick(customer.blocks)}${String(r.int(0, 9999)).padStart(4, '0')}`;
        attest = r.chance(0.9) ? 'A' : '';
      }
    }
    // the providers the call crosses, origin first
    const nTransit = kind === 'external' ? r.int(1, Math.min(2, transits.length)) : r.int(0, Math.min(2, transits.length));
    const chain: ProviderModel[] = [];
    if (origin) chain.push(origin);
    const pool = [...transits];
    for (let i = 0; i < nTransit && pool.length; i++) chain.push(pool.splice(r.int(0, pool.length - 1), 1)[0]!);
    chain.push(term);

    const origid = attest ? r.uuid() : '';
    const signer = origin ? origin.id : ext;
    const identity = attest && signer ? signPassport({ attest, dest: { tn: [passportTn(called)] }, iat: Math.floor(atMs / 1000), orig: { tn: passportTn(calling) }, origid }, keys.get(signer)!, x5uFor(signer)) : '';
    const answered = r.chance(0.78);
    const ring = r.int(2000, 9000);
    const talk = answered ? r.int(3, 600) : 0;
    const failCode = r.pick([486, 480, 487, 603]);

    const hops: TruthHop[] = [];
    let carried = identity !== '';
    let lostAt: string | null = null;
    let hopStart = atMs;
    let lastLegStart = atMs;
    let billedAtTerm = talk;
    for (let i = 0; i < chain.length; i++) {
      const p = chain[i]!;
      const up = i === 0 ? (ext ?? null) : chain[i - 1]!.id;
      const down = i === chain.length - 1 ? null : chain[i + 1]!.id;
      const internal = p.switches.length === 2 && r.chance(0.4);
      const legs = internal ? p.switches : [r.pick(p.switches)];
      for (let l = 0; l < legs.length; l++) {
        const sw = legs[l]!;
        const f = files.get(sw.id)!;
        const callId = f.nextCallId(sw.id);
        const billed = answered ? Math.max(0, talk + (r.chance(0.3) ? r.pick([-1, 1]) : 0)) : 0;
        const skewed = hopStart + sw.skewMs;
        const start = skewed;
        const answer = answered ? skewed + ring : null;
        const end = answered ? answer! + billed * 1000 : skewed + ring;
        const firstLeg = l === 0;
        const lastLeg = l === legs.length - 1;
        const isOrigin = i === 0 && origin !== null && firstLeg;
        const hasId = carried;
        const row: Record<CanonicalColumn, string> = {
          provider_id: p.id,
          switch_id: sw.id,
          call_id: callId,
          start_time: formatTime(start, p.timeStyle),
          answer_time: answer === null ? '' : formatTime(answer, p.timeStyle),
          end_time: formatTime(end, p.timeStyle),
          duration_s: String(billed),
          calling_number: formatNumber(calling, p.numberStyle),
          called_number: formatNumber(called, p.numberStyle),
          pai_number: isOrigin && kind === 'normal' ? formatNumber(calling, p.numberStyle) : '',
          ingress_type: !firstLeg ? 'internal' : isOrigin ? 'subscriber' : 'carrier',
          ingress_carrier: !firstLeg || isOrigin ? '' : (up ?? ''),
          ingress_trunk: !firstLeg ? `INT-${legs[0]!.id}` : isOrigin ? customer!.account : `TG-${up}`,
          ingress_ip: !firstLeg ? '10.0.0.1' : isOrigin ? `100.64.${r.int(0, 255)}.${r.int(1, 254)}` : (ip.get(up ?? '') ?? ''),
          egress_type: !lastLeg ? 'internal' : down ? 'carrier' : 'subscriber',
          egress_carrier: !lastLeg ? '' : (down ?? ''),
          egress_trunk: !lastLeg ? `INT-${legs[l + 1]!.id}` : down ? `TG-${down}` : 'LINE',
          sip_code: String(answered ? 200 : failCode),
          attestation: hasId ? attest : '',
          origid: hasId ? origid : '',
          identity: hasId ? identity : '',
        };
        if (p.format === 'canonical') f.push(f.columns.map((c) => csvField(row[c] ?? '')).join(',') + '\n');
        else f.push(JSON.stringify({ ...row, duration_s: billed, sip_code: Number(row.sip_code) }) + '\n');
        f.rows++;
        rows++;
        hops.push({ provider_id: p.id, switch_id: sw.id, call_id: callId });
        lastLegStart = hopStart;
        billedAtTerm = billed;
        hopStart += r.int(5, 60); // an internal leg follows within milliseconds
        await f.flushIfBig();
      }
      hopStart += r.int(20, 250); // the next provider sees the INVITE a little later
      if (p.dropsIdentity && carried) {
        carried = false;
        lostAt = down;
      }
    }
    const line: TruthLine = {
      call_key: `k${String(calls).padStart(8, '0')}`,
      kind,
      calling,
      called,
      at: new Date(lastLegStart).toISOString(),
      duration_s: billedAtTerm,
      answered,
      origin: origin ? { provider_id: origin.id, ingress_trunk: customer!.account, attestation: attest } : null,
      left_corpus_carrier: ext,
      path: hops.reverse(),
      attestation: attest,
      origid,
      identity_lost_at: lostAt,
    };
    truthBuf.push(JSON.stringify(line));
    calls++;
    if (truthBuf.length >= 5000) {
      if (!truth.write(truthBuf.join('\n') + '\n')) await new Promise<void>((res) => truth.once('drain', () => res()));
      truthBuf = [];
    }
    return lastLegStart;
  };

  // calls in time order across the window; decoys: another caller to the same number seconds later
  const step = (endMs - startMs) / Math.max(1, target);
  for (let i = 0; calls < target; i++) {
    const at = Math.floor(startMs + i * step + r.next() * step);
    const roll = r.next();
    const kind: CallKind = roll < 0.08 ? 'external' : roll < 0.3 ? 'robocall' : 'normal';
    const before = calls;
    await emitCall(kind, at);
    if (calls < target && r.chance(0.08)) {
      const prev = JSON.parse(truthBuf[truthBuf.length - 1] ?? '{}') as Partial<TruthLine>;
      const prevCalled = prev.called;
      if (prevCalled && calls > before) await emitCall('decoy', at + r.int(1000, 4000), prevCalled);
    }
  }
  if (truthBuf.length) truth.write(truthBuf.join('\n') + '\n');
  await new Promise<void>((res) => truth.end(() => res()));
  for (const f of files.values()) await f.close();

  writeFileSync(
    path.join(opts.out, 'manifest.json'),
    JSON.stringify(
      {
        seed: opts.seed,
        calls,
        rows,
        days,
        end: endDay,
        providers: net.providers.map((p) => ({ id: p.id, role: p.role, switches: p.switches.map((s) => s.id), format: p.format, number_style: p.numberStyle, time_style: p.timeStyle, drops_identity: p.dropsIdentity })),
        external_carriers: net.external,
        files: manifest,
      },
      null,
      1,
    ) + '\n',
  );
  return { out: opts.out, calls, rows, files: manifest.length, providers: net.providers.map((p) => p.id), elapsed_ms: Date.now() - t0 };
}

function shuffled<T>(r: Random, xs: readonly T[]): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}
