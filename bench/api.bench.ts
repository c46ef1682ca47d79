// npm run bench:api -> bench/results/api.json
// autocannon against a real server on loopback: requests/s and p99 latency for demand
// intake, trace-back result reads and number look-ups. Each phase 10 s (API_SECONDS).
import { writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { buildServer } from '../api/server.ts';
import { createAccount } from '../engine/accounts/accounts.ts';
import { openState } from '../engine/state/state-store.ts';
import { dataLayout } from '../engine/storage/layout.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const seconds = Number(process.env['API_SECONDS'] ?? 10);
const data = path.join(os.tmpdir(), `tracehop-bench-api-${process.pid}`);
const app = await buildServer({ dataDir: data });
await app.listen({ port: 0, host: '127.0.0.1' });
const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
const state = await openState(dataLayout(data));
const legal = (await createAccount(state, { user: 'bench-legal', role: 'legal' })).token;
const analyst = (await createAccount(state, { user: 'bench-analyst', role: 'analyst' })).token;
await state.exec("INSERT INTO inventory VALUES ('+12125551001', 'Acme', 'calea@acme.example', '2019-01-01', TRUE, TRUE)");

const tb = await fetch(`${base}/v1/tracebacks`, {
  method: 'POST',
  headers: { authorization: `Bearer ${analyst}`, 'content-type': 'application/json' },
  body: JSON.stringify({ request: { calling: '212-555-1234', called: '312-555-5678', at: '2026-11-20T10:00:00Z' } }),
}).then((r) => r.json() as Promise<{ id: string }>);

let seq = 0;
const demand = () =>
  JSON.stringify({
    agency: { name: 'Springfield PD', address: '742 Evergreen Terrace, Springfield', email: 'r@spd.example', phone: '217-555-0100' },
    officer: { name: 'Det. Hoover', email: 'h@spd.example', phone: '217-555-0142' },
    legal_process: 'grand_jury_subpoena',
    received_via: 'email',
    subject: 'Subpoena',
    target_numbers: ['212-555-1234'],
    date_from: '10/01/2026',
    date_to: '10/31/2026',
    description: 'CDRs',
    documents: [{ filename: 's.pdf', media_type: 'application/pdf', content: Buffer.from(`doc-${process.pid}-${seq++}-${Math.random()}`).toString('base64') }],
  });

const run = (name: string, opts: autocannon.Options) =>
  new Promise<Record<string, unknown>>((resolve, reject) => {
    autocannon({ connections: 10, duration: seconds, ...opts }, (err, r) => {
      if (err) return reject(err);
      const res = { name, requests_per_s: Math.round(r.requests.average), p99_ms: r.latency.p99, p50_ms: r.latency.p50, non2xx: r.non2xx, errors: r.errors };
      process.stderr.write(JSON.stringify(res) + '\n');
      resolve(res);
    });
  });

// the look-up portal allows 25 numbers per officer per day: one officer per request
const officers: string[] = [];
for (let i = 0; i < 4000; i++) officers.push((await createAccount(state, { user: `bench-le-${i}`, role: 'le_officer', agency: 'SPD', country: 'US', badge: `B${i}`, email: `o${i}@spd.example`, supervisor_email: `s${i}@spd.example` })).token);
let o = 0;

const results = [
  await run('demand intake', { url: `${base}/v1/demands`, requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, headers: { authorization: `Bearer ${legal}`, 'content-type': 'application/json' }, body: demand() }) }] }),
  await run('trace-back result read', { url: `${base}/v1/tracebacks/${tb.id}`, headers: { authorization: `Bearer ${analyst}` } }),
  await run('number look-up', { url: `${base}/v1/tn-lookups`, requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, headers: { authorization: `Bearer ${officers[o++ % officers.length]}`, 'content-type': 'application/json' }, body: JSON.stringify({ numbers: ['212-555-1001'] }) }) }] }),
];
state.close();
await app.close();
mkdirSync(path.join(here, 'results'), { recursive: true });
writeFileSync(
  path.join(here, 'results', 'api.json'),
  JSON.stringify({ bench: 'api', machine: { cpus: os.cpus().length, node: process.version }, at: new Date().toISOString(), seconds, connections: 10, results, targets: { reads_per_s: 2000, intakes_per_s: 500, p99_ms: 50 } }, null, 2) + '\n',
);
process.stdout.write(JSON.stringify({ ok: true, file: 'bench/results/api.json' }) + '\n');
