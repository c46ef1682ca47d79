import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { hasZodFastifySchemaValidationErrors, jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { authenticate } from '../engine/accounts/accounts.ts';
import { isTraceHopError } from '../engine/errors.ts';
import { openState } from '../engine/state/state-store.ts';
import { dataLayout } from '../engine/storage/layout.ts';
import { openTraceEngine, type TraceEngine } from '../engine/trace/trace-engine.ts';
import { loadSigningKey, type SigningKey } from '../engine/keys/signing-key.ts';
import { auditFor, type ApiContext } from './api-context.ts';
import { errorBody } from './error-body.ts';
import { httpMetrics } from './http-metrics.ts';

/**
 * The tracehop API (fastify 5 + zod 4). Every route module in api/routes/ is registered
 * here; every route declares its roles (`config.roles`) and one hook answers 401/403 before
 * any handler runs, writing refusals to the audit log. One error handler maps every error
 * to `{"error":{"code","message","details"}}`; no stack trace ever leaves the server.
 */
export interface ServerOptions {
  readonly dataDir: string;
  readonly signingKeyFile?: string;
  readonly logger?: boolean;
  readonly now?: () => Date;
  /** requests per minute per token (or address) */
  readonly rateLimitPerMinute?: number;
}

export type App = FastifyInstance;

/** A registered route and the roles it admits (the authorization matrix test walks these). */
export interface RouteInfo {
  readonly method: string;
  readonly url: string;
  readonly roles: readonly string[];
}

declare module 'fastify' {
  interface FastifyInstance {
    tracehopRoutes: RouteInfo[];
    /** drop cached token look-ups (after an account is disabled) */
    tracehopForgetTokens: () => void;
  }
}

const routesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'routes');

export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const layout = dataLayout(opts.dataDir);
  const state = await openState(layout);
  const now = opts.now ?? (() => new Date());
  let engine: Promise<TraceEngine> | null = null;
  let key: Promise<SigningKey> | null = null;
  const app = Fastify({
    logger: opts.logger ? { level: 'info', redact: ['req.headers.authorization'] } : false,
    genReqId: () => randomUUID(),
    bodyLimit: 1024 * 1024,
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // JSON bodies must be UTF-8: a body with invalid bytes is malformed (400), never guessed.
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body: Buffer, done) => {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      return done(Object.assign(new Error('request body is not valid UTF-8'), { statusCode: 400, code: 'TH_BAD_REQUEST' }));
    }
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (e) {
      done(Object.assign(new Error(`request body is not JSON: ${(e as Error).message}`), { statusCode: 400, code: 'TH_BAD_REQUEST' }));
    }
  });

  const audit = auditFor(state, now);
  // Accounts change rarely: a token's account is cached for a few seconds, so a disabled
  // account is refused within AUTH_CACHE_MS (and at once by this process's admin route).
  const AUTH_CACHE_MS = 5000;
  const authCache = new Map<string, { at: number; account: Awaited<ReturnType<typeof authenticate>> }>();
  const cachedAuth = async (token: string) => {
    const hit = authCache.get(token);
    if (hit && Date.now() - hit.at < AUTH_CACHE_MS) return hit.account;
    const account = await authenticate(state, token);
    if (authCache.size > 10_000) authCache.clear();
    authCache.set(token, { at: Date.now(), account });
    return account;
  };
  app.decorate('tracehopForgetTokens', () => authCache.clear());
  const ctx: ApiContext = {
    layout,
    state,
    now,
    traceEngine: () => (engine ??= openTraceEngine(opts.dataDir)),
    signingKey: () => (key ??= loadSigningKey(layout, opts.signingKeyFile ? { keyFile: opts.signingKeyFile } : {})),
    audit,
  };

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'tracehop API', version: '0.1.0', description: 'Robocall trace-back, legal demands, look-up portal, CPNI-gated exports, intercept-audit records' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(rateLimit, {
    max: opts.rateLimitPerMinute ?? 60_000,
    timeWindow: 60_000,
    keyGenerator: (req) => String(req.headers.authorization ?? req.ip),
    errorResponseBuilder: (_req, c) => ({ statusCode: 429, error: { code: 'TH_QUOTA', message: `rate limit: ${c.max} requests per minute`, details: [{ retry_after_s: Math.ceil(c.ttl / 1000) }] } }),
  });
  httpMetrics(app);

  // Authentication and roles, before any handler (and before body validation).
  app.addHook('onRequest', async (req, reply) => {
    const cfg = req.routeOptions.config;
    const url = req.routeOptions.url ?? '';
    if (cfg.public || url.startsWith('/docs') || req.routeOptions.url === undefined) return;
    const h = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(h);
    const account = m ? await cachedAuth(m[1]!) : null;
    if (!account) {
      await audit(req, { action: `${req.method} ${url}`, resource: url, outcome: 'refused', status: 401, detail: { reason: m ? 'unknown or disabled token' : 'no bearer token' } });
      return reply.code(401).send(errorBody('TH_UNAUTHENTICATED', m ? 'unknown or disabled token' : 'missing Authorization: Bearer <token>'));
    }
    req.account = account;
    const roles = cfg.roles ?? [];
    if (!roles.includes(account.role)) {
      await audit(req, { action: `${req.method} ${url}`, resource: url, outcome: 'refused', status: 403, detail: { reason: `role ${account.role} not in ${roles.join(',')}` } });
      return reply.code(403).send(errorBody('TH_FORBIDDEN', `role ${account.role} may not ${req.method} ${url}`, [{ allowed_roles: roles }]));
    }
  });

  // Every route must say who may call it.
  const routes: RouteInfo[] = [];
  app.decorate('tracehopRoutes', routes);
  app.addHook('onRoute', (route) => {
    const url = route.url;
    if (url.startsWith('/docs') || route.config?.public) return;
    for (const m of [route.method].flat()) if (m !== 'HEAD') routes.push({ method: m, url, roles: route.config?.roles ?? [] });
    if (!route.config?.roles || route.config.roles.length === 0) throw new Error(`route ${route.method} ${url} declares no roles`);
  });

  app.setErrorHandler(async (err, req, reply) => {
    const e = err as Error & { statusCode?: number; code?: string; validation?: unknown };
    let status = 500;
    let body: ReturnType<typeof errorBody>;
    if (hasZodFastifySchemaValidationErrors(err)) {
      status = 400;
      const details = err.validation.map((v) => ({ path: `${err.validationContext ?? 'body'}${v.instancePath.replaceAll('/', '.')}`.replace(/\.$/, ''), message: v.message ?? 'invalid' }));
      body = errorBody('TH_BAD_REQUEST', `malformed request: ${details.map((d) => d.path).join(', ')}`, details);
    } else if (isTraceHopError(err)) {
      status = err.status;
      body = errorBody(err.code, err.message, err.details);
    } else if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      status = 413;
      body = errorBody('TH_PAYLOAD_TOO_LARGE', e.message);
    } else if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
      status = e.statusCode;
      body = errorBody(status === 429 ? 'TH_QUOTA' : status === 404 ? 'TH_NOT_FOUND' : 'TH_BAD_REQUEST', e.message);
    } else {
      req.log.error({ err }, 'unhandled error');
      if (process.env['TRACEHOP_DEBUG']) process.stderr.write(String((err as Error).stack) + '\n');
      body = errorBody('TH_INTERNAL', 'internal error; the request id is in the logs', [{ request_id: String(req.id) }]);
    }
    if (status >= 400 && req.account) {
      const ids = Object.values((req.params ?? {}) as Record<string, string>).map(String);
      await audit(req, { action: `${req.method} ${req.routeOptions.url ?? req.url}`, resource: req.routeOptions.url ?? req.url, resource_ids: ids, outcome: status >= 500 ? 'error' : 'refused', status, detail: body.error }).catch(() => undefined);
    }
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send(errorBody('TH_NOT_FOUND', `no route ${req.method} ${req.url}`)));

  for (const f of readdirSync(routesDir).filter((n) => n.endsWith('.ts')).sort()) {
    const mod = (await import(pathToFileURL(path.join(routesDir, f)).href)) as { default: (app: FastifyInstance, ctx: ApiContext) => Promise<void> };
    await mod.default(app, ctx);
  }
  app.addHook('onClose', async () => {
    if (engine) (await engine).close();
    state.close();
  });
  return app;
}
