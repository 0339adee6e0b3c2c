/**
 * The server's sockets: how long a client may take (headers, a whole request, an idle kept-alive
 * connection), how many connections may be open at once, and the answers for what never becomes a
 * request (headers too large, too slow) — problem bodies like every other answer, not a reset connection.
 */
import http, { type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { ApiProblem } from './problem';

export interface ConnectionLimits {
  /** The request line and headers must arrive within this (a slow drip is cut off). */
  headersMs: number;
  /** A whole request, body included, must arrive within this. */
  requestMs: number;
  /** A kept-alive connection with no request in flight is closed after this. */
  keepAliveMs: number;
  /** Connections open at once; the ones over it are answered 503 and closed. */
  maxConnections: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  headersMs: 10_000,
  requestMs: 120_000,
  keepAliveMs: 5_000,
  maxConnections: 256,
};

/** How long a refused connection may go on sending before it is cut. */
const DRAIN_MS = 1_000;

/** The options for http.createServer that enforce the limits. */
export function serverOptions(l: ConnectionLimits): http.ServerOptions {
  return {
    headersTimeout: l.headersMs,
    requestTimeout: Math.max(l.requestMs, l.headersMs),
    // How often Node checks the two timeouts above (its default, 30 s, lets a slow client run far past them).
    connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(l.headersMs / 4))),
  };
}

function rawAnswer(problem: ApiProblem): string {
  const body = JSON.stringify(problem.body());
  const reason = http.STATUS_CODES[problem.status] ?? 'Error';
  return (
    `HTTP/1.1 ${problem.status} ${reason}\r\nContent-Type: application/problem+json\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  );
}

/** Writes the answer, then reads and drops what the client still sends, so the answer is not lost to a reset. */
function answerAndClose(socket: Duplex, problem: ApiProblem): void {
  socket.end(rawAnswer(problem));
  socket.on('data', () => undefined);
  socket.resume();
  setTimeout(() => socket.destroy(), DRAIN_MS).unref();
}

function clientErrorProblem(e: NodeJS.ErrnoException): ApiProblem {
  if (e.code === 'HPE_HEADER_OVERFLOW') {
    return new ApiProblem(431, 'Request Header Fields Too Large', `The URL and headers of the request are larger than ${Math.round(http.maxHeaderSize / 1024)} KiB`, {
      hint: 'Send the input in the JSON body of a POST (POST /v1/predictions), not in the URL, and files through POST /v1/files.',
    });
  }
  if (e.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return new ApiProblem(408, 'Request Timeout', 'The request did not arrive in time', {
      hint: 'Send the whole request at once; idle connections are closed.',
    });
  }
  return new ApiProblem(400, 'Bad request', `The request is not valid HTTP (${e.code ?? e.message})`);
}

/**
 * Applies the limits to a server made with serverOptions(). Returns a check for the request handler:
 * true for a request on a connection over the cap, which was answered already and must be left alone.
 */
export function guardConnections(server: Server, l: ConnectionLimits, log?: (line: string) => void): (socket: Socket) => boolean {
  server.keepAliveTimeout = l.keepAliveMs;
  const open = new Set<Socket>();
  const refused = new WeakSet<Duplex>();
  const answered = new WeakSet<Duplex>();
  server.prependListener('connection', (socket: Socket) => {
    if (open.size >= l.maxConnections) {
      refused.add(socket);
      answered.add(socket);
      log?.(`connection refused: ${open.size} connections open, the most this server keeps`);
      answerAndClose(
        socket,
        new ApiProblem(503, 'Too many connections', `The local API has ${open.size} connections open, the most it keeps`, {
          hint: 'Close idle connections (reuse one client) and try again.',
        }),
      );
      return;
    }
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  server.on('clientError', (e: NodeJS.ErrnoException, socket: Duplex) => {
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (answered.has(socket)) return; // answered and draining: its timer ends it
    if (e.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    answered.add(socket);
    answerAndClose(socket, clientErrorProblem(e));
  });
  return (socket) => refused.has(socket);
}
