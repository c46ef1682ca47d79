import { statSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection, DuckDBInstance, DuckDBPreparedStatement } from '@duckdb/node-api';
import { all, connect, openDuck } from '../db/duckdb.ts';
import { queryFile } from '../sql/query-file.ts';
import { readCatalog, type Catalog } from '../storage/catalog.ts';
import { dataLayout, type DataLayout } from '../storage/layout.ts';
import { attestationFindings } from './attestation-findings.ts';
import { pickBest, scoreCandidate, type CdrRow, type Scored, type Target } from './link-hop.ts';
import { DEFAULT_TRACE_CONFIG, type TraceConfig } from './trace-config.ts';
import { parseTraceRequest, type TraceRequest } from './trace-request.ts';
import type { Hop, TraceResult } from './trace-result.ts';

/**
 * The trace-back engine (issue 4): from the tuple to the terminating CDR, then hop by hop
 * upstream: an `internal` ingress is stitched to the other switch of the same provider, a
 * `carrier` ingress to that carrier's CDR toward this provider, until a subscriber ingress
 * (origin_found) or a carrier whose records are not held (left_corpus: the answer owed to
 * the industry traceback group). One DuckDB instance per engine; each hop is one look-up
 * of (called_number, time window) in the catalog's files for the days concerned.
 */
export interface TraceEngine {
  trace(req: TraceRequest, opts?: { explain?: boolean; now?: Date }): Promise<TraceResult>;
  traceRaw(raw: unknown, opts?: { explain?: boolean; now?: Date }): Promise<TraceResult>;
  traceBatch(reqs: readonly unknown[], opts?: { now?: Date }): Promise<TraceResult[]>;
  close(): void;
}

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export async function openTraceEngine(dataDir: string, config: Partial<TraceConfig> = {}): Promise<TraceEngine> {
  const cfg: TraceConfig = { ...DEFAULT_TRACE_CONFIG, ...config };
  const layout = dataLayout(dataDir);
  const inst: DuckDBInstance = await openDuck(':memory:', { threads: 2 });
  // Two connections: a campaign is traced by two workers at once (one per core).
  const cons: DuckDBConnection[] = [await connect(inst), await connect(inst)];
  const con = cons[0]!;
  for (const c of cons) await c.run('SET parquet_metadata_cache = true');
  const sql = queryFile('trace/cdrs-to-number');
  const providersByDay = new Map<string, { generation: number; ids: Set<string> }>();

  // The catalog, re-read only when catalog.json changes (ingest, compaction, tiering).
  let cached: { key: string; catalog: Catalog } | null = null;
  const catalog = (): Catalog => {
    let key = 'none';
    try {
      const st = statSync(layout.catalogFile);
      key = `${st.mtimeMs}:${st.size}:${st.ino}`;
    } catch {
      // no catalog yet: nothing ingested
    }
    if (!cached || cached.key !== key) cached = { key, catalog: readCatalog(layout) };
    return cached.catalog;
  };
  const filesFor = (from: string, to: string): string[] =>
    catalog()
      .files.filter((f) => f.max_day >= from && f.min_day <= to)
      .map((f) => path.join(layout.cdrDir, f.path));

  // One prepared statement per (connection, file set), reused for every look-up in those days.
  const prepared = new Map<DuckDBConnection, Map<string, DuckDBPreparedStatement>>(cons.map((c) => [c, new Map()]));
  const lookupOn = async (c: DuckDBConnection, called: string, lo: number, hi: number, provider = ''): Promise<CdrRow[]> => {
    const files = filesFor(day(lo), day(hi - 1));
    if (files.length === 0) return [];
    const key = files.join('\n');
    const byConn = prepared.get(c)!;
    let stmt = byConn.get(key);
    if (!stmt) {
      if (byConn.size > 256) {
        for (const s of byConn.values()) s.destroySync();
        byConn.clear();
      }
      stmt = await c.prepare(sql.replace('$files::VARCHAR[]', `[${files.map((f) => `'${f.replaceAll("'", "''")}'`).join(', ')}]`));
      byConn.set(key, stmt);
    }
    stmt.bindVarchar(stmt.parameterIndex('called'), called);
    stmt.bindVarchar(stmt.parameterIndex('lo_us'), String(Math.floor(lo) * 1000));
    stmt.bindVarchar(stmt.parameterIndex('hi_us'), String(Math.ceil(hi) * 1000));
    stmt.bindVarchar(stmt.parameterIndex('provider'), provider);
    const rows = (await stmt.runAndReadAll()).getRowObjectsJson() as unknown as (CdrRow & { start_ms: number | string; duration_s: number | string; sip_code: number | string })[];
    return rows.map((r) => ({ ...r, start_ms: Number(r.start_ms), duration_s: Number(r.duration_s), sip_code: Number(r.sip_code) }));
  };

  /** Providers whose records are held for a day (a carrier absent here has left the corpus). */
  const providersOn = async (d: string): Promise<Set<string>> => {
    const generation = catalog().generation;
    const hit = providersByDay.get(d);
    if (hit && hit.generation === generation) return hit.ids;
    const files = filesFor(d, d);
    const ids = new Set<string>();
    if (files.length > 0) {
      const rows = await all<{ p: string }>(con, 'SELECT DISTINCT provider_id AS p FROM read_parquet($files::VARCHAR[], hive_partitioning = false)', { files: JSON.stringify(files) });
      for (const r of rows) ids.add(r.p);
    }
    providersByDay.set(d, { generation, ids });
    return ids;
  };

  const toHop = (s: Scored): Hop => ({
    provider_id: s.row.provider_id,
    switch_id: s.row.switch_id,
    call_id: s.row.call_id,
    start_time: s.row.start_time,
    calling_number: s.row.calling_number,
    called_number: s.row.called_number,
    ingress_type: s.row.ingress_type,
    ingress_carrier: s.row.ingress_carrier,
    ingress_trunk: s.row.ingress_trunk,
    egress_carrier: s.row.egress_carrier,
    duration_s: s.row.duration_s,
    attestation: s.row.attestation,
    origid: s.row.origid,
    verstat: s.row.verstat,
    identity: s.row.has_identity,
    score: s.score,
  });
  const candidate = (s: Scored) => ({ ...toHop(s), reasons: s.reasons });

  async function trace(req: TraceRequest, opts: { explain?: boolean; now?: Date } = {}, c: DuckDBConnection = con): Promise<TraceResult> {
    const lookup = (called: string, lo: number, hi: number, provider = ''): Promise<CdrRow[]> => lookupOn(c, called, lo, hi, provider);
    const t0 = performance.now();
    const now = (opts.now ?? new Date()).getTime();
    const first = Math.min(...req.windows.map((w) => w.from));
    const last = Math.max(...req.windows.map((w) => w.to));
    const ageDays = (now - first) / 86_400_000;
    const base = {
      ...(req.id !== undefined ? { id: req.id } : {}),
      outside_24h_commitment: ageDays > cfg.commitmentDays,
      request: {
        calling: req.calling,
        called: req.called,
        at: req.at_text,
        windows: req.windows.map((w) => ({ from: new Date(w.from).toISOString(), to: new Date(w.to).toISOString() })),
      },
    };
    const explain: NonNullable<TraceResult['explain']> = [];
    const finish = (r: Omit<TraceResult, 'elapsed_ms' | keyof typeof base | 'explain'>): TraceResult => ({
      ...base,
      ...r,
      ...(opts.explain ? { explain } : {}),
      elapsed_ms: Math.round((performance.now() - t0) * 10) / 10,
    });
    const noAttestation = { signer: '', level: '', origid: '', findings: [] as string[] };

    // carrier policy: older than the hot window -> archive retrieval job, not a live search
    if (ageDays > cfg.hotDays) {
      return finish({ status: 'archive_required', hops: [], origin: null, upstream: null, attestation: noAttestation, candidates: 0 });
    }

    // 1. the terminating CDR(s)
    const target: Target = { calling: req.calling, windows: req.windows, ...(req.duration_s !== undefined ? { duration_s: req.duration_s } : {}), ...(req.origid ? { origid: req.origid } : {}) };
    const rows = await lookup(req.called, first - cfg.clockToleranceMs, last + cfg.clockToleranceMs);
    // the most downstream records: delivered to a subscriber, else handed to a carrier whose records are not held
    const held = await providersOn(day(first));
    const downstream = rows.filter((r) => r.egress_type === 'subscriber' || (r.egress_type === 'carrier' && !held.has(r.egress_carrier)));
    const scored = downstream.map((r) => scoreCandidate(r, target, cfg)).filter((s): s is Scored => s !== null);
    if (opts.explain) explain.push({ hop: 1, provider: '(terminating)', considered: scored.map(candidate) });
    const pick = pickBest(scored, cfg);
    if (!pick.best) {
      if (pick.tie.length > 0) {
        return finish({ status: 'ambiguous', hops: [], origin: null, upstream: null, attestation: noAttestation, candidates: scored.length, ranked: pick.tie.map(candidate) });
      }
      return finish({ status: 'not_found', hops: [], origin: null, upstream: null, attestation: noAttestation, candidates: 0 });
    }

    // 2. hop by hop upstream
    const hops: Hop[] = [toHop(pick.best)];
    const seen = new Set([`${pick.best.row.switch_id}|${pick.best.row.call_id}`]);
    const providersSeen = new Map<string, number>([[pick.best.row.provider_id, 0]]);
    let cur = pick.best.row;
    for (let n = 1; n < cfg.maxHops; n++) {
      if (cur.ingress_type === 'subscriber') {
        const a = attestationFindings(hops, true);
        return finish({ status: 'origin_found', hops, origin: { provider_id: cur.provider_id, ingress_trunk: cur.ingress_trunk, attestation: cur.attestation }, upstream: null, attestation: a, candidates: scored.length });
      }
      const internal = cur.ingress_type === 'internal';
      const upstream = internal ? cur.provider_id : cur.ingress_carrier;
      if (!upstream) {
        return finish({ status: 'not_found', hops, origin: null, upstream: null, attestation: attestationFindings(hops, false), candidates: scored.length });
      }
      if (!internal && !(await providersOn(day(cur.start_ms))).has(upstream)) {
        return finish({ status: 'left_corpus', hops, origin: null, upstream: { carrier: upstream }, attestation: attestationFindings(hops, false), candidates: scored.length });
      }
      const link: Target = {
        calling: cur.calling_number,
        windows: [{ from: cur.start_ms, to: cur.start_ms + 1 }],
        ...(cur.sip_code >= 200 && cur.sip_code < 300 ? { duration_s: cur.duration_s } : {}),
        ...(cur.origid ? { origid: cur.origid } : {}),
      };
      const found = await lookup(cur.called_number, cur.start_ms - cfg.clockToleranceMs, cur.start_ms + cfg.clockToleranceMs + 1, upstream);
      const c = cur;
      const eligible = found.filter((r) =>
        internal
          ? r.switch_id !== c.switch_id && r.egress_type === 'internal'
          : r.egress_type === 'carrier' && (r.egress_carrier === c.provider_id || r.egress_carrier === ''),
      );
      const sc = eligible.filter((r) => !seen.has(`${r.switch_id}|${r.call_id}`)).map((r) => scoreCandidate(r, link, cfg)).filter((s): s is Scored => s !== null);
      if (opts.explain) explain.push({ hop: n + 1, provider: upstream, considered: sc.map(candidate) });
      const p = pickBest(sc, cfg);
      if (!p.best) {
        if (p.tie.length > 0) {
          return finish({ status: 'ambiguous', hops, origin: null, upstream: { carrier: upstream }, attestation: attestationFindings(hops, false), candidates: sc.length, ranked: p.tie.map(candidate) });
        }
        // the upstream carrier's records are held, but not for this call: it is still who sent it
        const a = attestationFindings(hops, false);
        a.findings.push(`${upstream} is in the corpus but holds no matching record for this call`);
        return finish({ status: 'left_corpus', hops, origin: null, upstream: { carrier: upstream }, attestation: a, candidates: scored.length });
      }
      const prevIdx = providersSeen.get(p.best.row.provider_id);
      if (!internal && prevIdx !== undefined) {
        const a = attestationFindings(hops, false);
        a.findings.push(`loop: ${p.best.row.provider_id} appears again upstream of hop ${hops.length}`);
        hops.push(toHop(p.best));
        return finish({ status: 'not_found', hops, origin: null, upstream: null, attestation: a, candidates: scored.length, loop: { provider_id: p.best.row.provider_id, hop: hops.length } });
      }
      providersSeen.set(p.best.row.provider_id, hops.length);
      seen.add(`${p.best.row.switch_id}|${p.best.row.call_id}`);
      hops.push(toHop(p.best));
      cur = p.best.row;
    }
    const a = attestationFindings(hops, false);
    a.findings.push(`stopped after ${cfg.maxHops} hops`);
    return finish({ status: 'not_found', hops, origin: null, upstream: null, attestation: a, candidates: scored.length });
  }

  const errorResult = (id: string | undefined, errors: { path: string; message: string }[]): TraceResult => ({
    ...(id !== undefined ? { id } : {}),
    status: 'not_found',
    hops: [],
    origin: null,
    upstream: null,
    attestation: { signer: '', level: '', origid: '', findings: [] },
    candidates: 0,
    outside_24h_commitment: false,
    request: { calling: '', called: '', at: '', windows: [] },
    error: { code: 'TH_BAD_REQUEST', errors },
    elapsed_ms: 0,
  });

  const traceRaw = async (raw: unknown, opts?: { explain?: boolean; now?: Date }, c: DuckDBConnection = con): Promise<TraceResult> => {
    const p = parseTraceRequest(raw);
    return p.ok ? trace(p.request, opts, c) : errorResult(p.id, p.errors);
  };

  return {
    trace: (req, opts) => trace(req, opts),
    traceRaw: (raw, opts) => traceRaw(raw, opts),
    async traceBatch(reqs, opts) {
      // two workers, one connection each, results in request order
      const out: TraceResult[] = new Array<TraceResult>(reqs.length);
      let next = 0;
      await Promise.all(
        cons.map(async (c) => {
          for (let i = next++; i < reqs.length; i = next++) out[i] = await traceRaw(reqs[i], opts, c);
        }),
      );
      return out;
    },
    close() {
      for (const m of prepared.values()) for (const s of m.values()) s.destroySync();
      for (const c of cons) c.closeSync();
      inst.closeSync();
    },
  };
}

export type { DataLayout };
