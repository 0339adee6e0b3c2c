/**
 * The local API: Replicate's HTTP API on 127.0.0.1, so code written for Replicate runs local models by
 * changing its base URL. Plain Node `http`; every request passes the Host check (loopback names only),
 * the CORS check (off unless turned on), and the token (except the signed stream and file URLs).
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { CogdeskError } from '../../../shared/errors';
import { isTerminal, type Prediction } from '../../../shared/domain';
import type { PredictionRequest } from '../../../shared/api';
import type { VersionSchema } from '../../../shared/schema';
import type { Core } from '../index';
import { hasToken, isLoopbackHost, loadOrCreateCredentials } from './auth';
import { DEFAULT_CONNECTION_LIMITS, guardConnections, serverOptions, type ConnectionLimits } from './connections';
import type { RequestContext, ServerLimits, ServerState } from './context';
import { FileStore } from './files';
import { localHardware, type HardwareSource } from './hardware';
import { ApiProblem, sendProblem, unauthenticated } from './problem';
import { matchRoute } from './routes';
import { RAN_ON_HEADER } from './routing';
import { Serializer, type Links } from './serialize';
import { WebhookDispatcher } from './webhooks';

/** The port `cogdesk serve` and the app use unless told otherwise. */
export const DEFAULT_API_PORT = 5190;

export interface ApiServerOptions {
  /** Port on 127.0.0.1; default DEFAULT_API_PORT; 0 takes any free port. */
  port?: number;
  /** Use this token instead of the one kept in the data folder. */
  token?: string;
  /** Origins allowed to call from a browser (`*` for any); none by default. */
  cors?: readonly string[];
  /** How output files go out: URLs this server serves (default), or `data:` URIs. */
  fileOutput?: 'url' | 'data-uri';
  /** JSON request bodies (32 MiB by default); `cogdesk serve --max-body-mb`. */
  maxBodyBytes?: number;
  /** POST /v1/files bodies (100 MiB by default); `cogdesk serve --max-upload-mb`. */
  maxUploadBytes?: number;
  /** Header, request and keep-alive timeouts and the connection cap (DEFAULT_CONNECTION_LIMITS). */
  connections?: Partial<ConnectionLimits>;
  pageSize?: number;
  /** What GET /v1/hardware lists; the CPU by default. */
  hardware?: HardwareSource;
  /** Waits between webhook retries (ms). */
  webhookRetryDelaysMs?: readonly number[];
  /**
   * Answer for a model that is not here by running it on Replicate with the user's token (`cogdesk serve
   * --route-to-replicate`); left out, the saved `routeToReplicate` setting decides, at each request.
   */
  routeToReplicate?: boolean;
  /** Creates a prediction on Replicate (default: the core's, with `on: 'replicate'`); tests pass their own. */
  createRemotePrediction?: (request: PredictionRequest) => Promise<Prediction>;
  /** One line per request (`POST /v1/predictions 201 3.1ms`) and per failed webhook; never a token. */
  log?: (line: string) => void;
}

export interface ApiServer {
  /** The base URL for the JavaScript client: `http://127.0.0.1:PORT/v1`. */
  url: string;
  /** `http://127.0.0.1:PORT`: REPLICATE_BASE_URL for the Python client. */
  origin: string;
  port: number;
  token: string;
  /** The file in the data folder that keeps the token. */
  tokenFile: string;
  /** The `whsec_` secret webhook receivers check signatures with. */
  webhookSecret: string;
  /** Stops listening and ends open streams; predictions keep running in the core. */
  close(): Promise<void>;
}

export const DEFAULT_LIMITS: ServerLimits = {
  maxBodyBytes: 32 * 1024 * 1024,
  maxUploadBytes: 100 * 1024 * 1024,
  pageSize: 100,
};

const CORS_ALLOW_HEADERS = 'Authorization, Content-Type, Prefer, Cancel-After';

export async function startApiServer(core: Core, options: ApiServerOptions = {}): Promise<ApiServer> {
  const credentials = loadOrCreateCredentials(core.paths.home, options.token);
  const files = new FileStore(join(core.paths.home, 'api-files'));
  await files.sweep().catch(() => 0);
  const log = options.log;
  let port = 0;
  const state: ServerState = {
    core,
    credentials,
    files,
    serializer: new Serializer({ outputsDir: core.paths.outputs, files, signingKey: credentials.signingKey }),
    webhooks: new WebhookDispatcher({
      secret: credentials.webhookSecret,
      retryDelaysMs: options.webhookRetryDelaysMs,
      onFailure: (url, reason) => log?.(`webhook to ${new URL(url).origin} failed: ${reason}`),
    }),
    hardware: options.hardware ?? localHardware(),
    limits: {
      maxBodyBytes: options.maxBodyBytes ?? DEFAULT_LIMITS.maxBodyBytes,
      maxUploadBytes: options.maxUploadBytes ?? DEFAULT_LIMITS.maxUploadBytes,
      pageSize: Math.min(1000, Math.max(1, options.pageSize ?? DEFAULT_LIMITS.pageSize)),
    },
    streams: new Set(),
    deadlines: new Map(),
    schemas: new Map<string, VersionSchema>(),
    port: () => port,
    routing: {
      enabled: () => options.routeToReplicate === true || core.store.settings.get().routeToReplicate === true,
      createRemote: options.createRemotePrediction ?? ((request) => core.createPrediction({ ...request, on: 'replicate' })),
    },
  };
  const defaultFileMode = options.fileOutput ?? 'url';
  const cors = new Set(options.cors ?? []);

  const offPredictions = core.on('prediction', (p) => {
    state.webhooks.update(p);
    if (isTerminal(p.status)) {
      const deadline = state.deadlines.get(p.id);
      if (deadline) clearTimeout(deadline.timer);
      state.deadlines.delete(p.id);
    }
  });

  const corsHeaders = (origin: string | undefined): Record<string, string> => {
    if (!origin || !(cors.has('*') || cors.has(origin))) return {};
    // A page may read where a prediction ran (routing.ts), as well as the body.
    return { 'Access-Control-Allow-Origin': cors.has('*') ? '*' : origin, 'Access-Control-Expose-Headers': RAN_ON_HEADER, Vary: 'Origin' };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
    const allowOrigin = corsHeaders(origin);
    for (const [k, v] of Object.entries(allowOrigin)) res.setHeader(k, v);
    try {
      if (!isLoopbackHost(req.headers.host)) {
        throw new ApiProblem(403, 'Forbidden', `Host "${req.headers.host ?? ''}" is not this machine's loopback`, {
          hint: 'Call the local API as http://127.0.0.1:PORT or http://localhost:PORT.',
        });
      }
      if (origin && Object.keys(allowOrigin).length === 0) {
        throw new ApiProblem(403, 'Forbidden', `Cross-origin requests from ${origin} are not allowed`, {
          hint: 'Start the server with --cors <origin> to let a web page call it.',
        });
      }
      if (req.method === 'OPTIONS' && origin) {
        res.writeHead(204, {
          'Access-Control-Allow-Methods': 'GET, POST, DELETE',
          'Access-Control-Allow-Headers': CORS_ALLOW_HEADERS,
          'Access-Control-Max-Age': '600',
        });
        res.end();
        return;
      }
      // Path-form only: an absolute-form target (`GET http://elsewhere/...`) must not choose the URLs' origin.
      if (!req.url?.startsWith('/')) throw new ApiProblem(400, 'Bad request', 'The request target must be a path');
      const url = new URL(`http://${req.headers.host}${req.url}`);
      const prefixed = /^(\/data-uri)?\/v1(\/.*)$/.exec(url.pathname);
      if (!prefixed) throw new ApiProblem(404, 'Not found', `No endpoint ${url.pathname}`, { hint: 'The API lives under /v1, e.g. GET /v1/predictions.' });
      const fileMode = prefixed[1] ? 'data-uri' : defaultFileMode;
      // URLs in answers point back the way the client came (127.0.0.1 or localhost); it listens on IPv4 only.
      const base = url.hostname === '[::1]' ? `http://127.0.0.1:${port}` : url.origin;
      const links: Links = { origin: base, apiBase: `${base}${prefixed[1] ?? ''}/v1`, fileMode };
      const match = matchRoute(req.method ?? 'GET', prefixed[2]);
      if (!match) {
        throw new ApiProblem(404, 'Not found', `No endpoint ${req.method} ${url.pathname} in the local API`, {
          hint: 'It runs local predictions, models, files and hardware; collections, deployments and trainings are on Replicate only.',
        });
      }
      if ('allowed' in match) {
        throw new ApiProblem(405, 'Method Not Allowed', `${req.method} is not allowed on ${url.pathname}`, { headers: { Allow: match.allowed.join(', ') } });
      }
      const ctx: RequestContext = { req, res, url, links, params: match.params };
      if (!hasToken(req.headers.authorization, credentials.token) && !match.route.signed?.(ctx, state)) throw unauthenticated();
      await match.route.handler(ctx, state);
    } catch (e) {
      if (!req.readableEnded) req.resume(); // drop an unread body so the answer gets through
      sendProblem(res, e);
    }
  };

  const limits: ConnectionLimits = { ...DEFAULT_CONNECTION_LIMITS, ...options.connections };
  let overCap: (socket: Socket) => boolean = () => false;
  const server = http.createServer(serverOptions(limits), (req, res) => {
    if (overCap(req.socket)) {
      req.resume(); // answered 503 when it connected
      return;
    }
    const started = performance.now();
    if (log) {
      res.once('finish', () => {
        const path = (req.url ?? '').split('?')[0];
        log(`${req.method} ${path} ${res.statusCode} ${(performance.now() - started).toFixed(1)}ms`);
      });
    }
    void handle(req, res);
  });
  overCap = guardConnections(server, limits, log);

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') {
        reject(
          new CogdeskError({
            code: 'bad_request',
            message: `Port ${options.port ?? DEFAULT_API_PORT} on 127.0.0.1 is already in use`,
            hint: 'Pick another port (cogdesk serve --port N), or stop what listens there (another `cogdesk serve`?).',
          }),
        );
      } else {
        reject(e);
      }
    });
    server.listen(options.port ?? DEFAULT_API_PORT, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const originUrl = `http://127.0.0.1:${port}`;

  let closed: Promise<void> | null = null;
  return {
    url: `${originUrl}/v1`,
    origin: originUrl,
    port,
    token: credentials.token,
    tokenFile: credentials.file,
    webhookSecret: credentials.webhookSecret,
    close: () =>
      (closed ??= (async () => {
        offPredictions();
        state.webhooks.close();
        for (const d of state.deadlines.values()) clearTimeout(d.timer);
        state.deadlines.clear();
        for (const res of state.streams) res.end();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
          // Requests still blocking (Prefer: wait) are cut: the clients poll or retry elsewhere.
          setImmediate(() => server.closeAllConnections());
        });
      })()),
  };
}
