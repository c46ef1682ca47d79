import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { writeFileAtomic } from '../storage/atomic-file.ts';

/**
 * Fetch the certificate (chain) an x5u names (RFC 8224 §6.2 step 4; ATIS-1000074 §5.3.1):
 * http or https on any port, a size and a time limit, redirects only within the same
 * scheme, and a cache directory with a TTL so a verifier fetches each x5u once, not per
 * call. At ingest the cache is filled beforehand and then read offline.
 */
export interface FetchOptions {
  readonly cacheDir: string;
  readonly ttlMs?: number;
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
  /** extra CA certificates for https x5u servers (tests use a loopback server) */
  readonly tlsCa?: string;
  /** read only the cache: never touch the network (ingest) */
  readonly offline?: boolean;
  readonly now?: Date;
}

export type FetchResult = { ok: true; pem: string; cached: boolean } | { ok: false; reason: string };

const cacheFiles = (dir: string, url: string): { pem: string; meta: string } => {
  const k = createHash('sha256').update(url).digest('hex');
  return { pem: path.join(dir, `${k}.pem`), meta: path.join(dir, `${k}.json`) };
};

export function readCachedCertificate(url: string, opts: FetchOptions): FetchResult | null {
  const f = cacheFiles(opts.cacheDir, url);
  if (!existsSync(f.pem) || !existsSync(f.meta)) return null;
  try {
    const meta = JSON.parse(readFileSync(f.meta, 'utf8')) as { url: string; fetched_at: string };
    const age = (opts.now ?? new Date()).getTime() - Date.parse(meta.fetched_at);
    if (!opts.offline && age > (opts.ttlMs ?? 3_600_000)) return null;
    return { ok: true, pem: readFileSync(f.pem, 'utf8'), cached: true };
  } catch {
    return null;
  }
}

export function writeCachedCertificate(url: string, pem: string, cacheDir: string, fetchedAt = new Date()): void {
  mkdirSync(cacheDir, { recursive: true });
  const f = cacheFiles(cacheDir, url);
  writeFileAtomic(f.pem, pem);
  writeFileAtomic(f.meta, JSON.stringify({ url, fetched_at: fetchedAt.toISOString() }));
}

function get(url: URL, opts: FetchOptions, redirects: number): Promise<FetchResult> {
  const maxBytes = opts.maxBytes ?? 64 * 1024;
  return new Promise((resolve) => {
    const lib = url.protocol === 'https:' ? https : http;
    const req = lib.get(url, { timeout: opts.timeoutMs ?? 3000, ...(opts.tlsCa && url.protocol === 'https:' ? { ca: opts.tlsCa } : {}) }, (res) => {
      const code = res.statusCode ?? 0;
      if (code >= 300 && code < 400 && res.headers.location) {
        res.resume();
        let next: URL;
        try {
          next = new URL(res.headers.location, url);
        } catch {
          return resolve({ ok: false, reason: 'x5u redirect to an invalid URL' });
        }
        if (next.protocol !== url.protocol) return resolve({ ok: false, reason: `x5u redirect from ${url.protocol} to ${next.protocol} refused` });
        if (redirects >= 3) return resolve({ ok: false, reason: 'too many x5u redirects' });
        return resolve(get(next, opts, redirects + 1));
      }
      if (code !== 200) {
        res.resume();
        return resolve({ ok: false, reason: `x5u answered HTTP ${code}` });
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBytes) {
          req.destroy();
          resolve({ ok: false, reason: `x5u resource larger than ${maxBytes} bytes` });
        } else chunks.push(c);
      });
      res.on('end', () => resolve({ ok: true, pem: Buffer.concat(chunks).toString('utf8'), cached: false }));
      res.on('error', (e) => resolve({ ok: false, reason: `x5u read failed: ${e.message}` }));
    });
    req.on('timeout', () => {
      req.destroy();
      resolve({ ok: false, reason: 'x5u fetch timed out' });
    });
    req.on('error', (e) => resolve({ ok: false, reason: `x5u unreachable: ${e.message}` }));
  });
}

export async function fetchCertificate(x5u: string, opts: FetchOptions): Promise<FetchResult> {
  const hit = readCachedCertificate(x5u, opts);
  if (hit) return hit;
  if (opts.offline) return { ok: false, reason: 'x5u certificate not in the cache (offline verification)' };
  let url: URL;
  try {
    url = new URL(x5u);
  } catch {
    return { ok: false, reason: 'x5u is not a URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: `x5u scheme ${url.protocol} is not http or https` };
  const r = await get(url, opts, 0);
  if (r.ok) writeCachedCertificate(x5u, r.pem, opts.cacheDir, opts.now ?? new Date());
  return r;
}
