/**
 * The local API Gateway: a node:http server that matches the topology's HTTP
 * routes, runs the Lambda authorizer for protected ones, and invokes the
 * route's function with a payload 2.0 event.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpRoute } from '../topology';
import {
  buildAuthorizerEvent,
  buildHttpEvent,
  compileRoute,
  findRoute,
  newRequestId,
  sortRoutes,
  toHttpResponse,
  type HttpResponse,
  type RawRequest,
} from './api-gateway';
import type { Invoke } from './lambda';

/** API Gateway's request payload limit. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** A route and the function behind it. */
export interface HttpBinding {
  route: HttpRoute;
  invoke: Invoke;
}

export interface HttpServerOptions {
  routes: readonly HttpBinding[];
  /** The Lambda authorizer, required when any route has roles. */
  authorizer?: Invoke;
  port?: number;
  host?: string;
  maxBodyBytes?: number;
  /** One line per request and the errors; defaults to console.log / console.error. */
  log?: (line: string) => void;
  logError?: (message: string, err: unknown) => void;
  quiet?: boolean;
}

export interface LocalHttpServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** API Gateway's own answers, with its exact bodies. */
const gatewayReply = (statusCode: number, message: string): HttpResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  cookies: [],
  body: Buffer.from(JSON.stringify({ message })),
});
const NOT_FOUND = () => gatewayReply(404, 'Not Found');
const UNAUTHORIZED = () => gatewayReply(401, 'Unauthorized');
const FORBIDDEN = () => gatewayReply(403, 'Forbidden');
const SERVER_ERROR = () => gatewayReply(500, 'Internal Server Error');
const TOO_LARGE = () => gatewayReply(413, 'Request Entity Too Large');

/** Starts the server; `port: 0` picks a free port. */
export async function startHttpServer(opts: HttpServerOptions): Promise<LocalHttpServer> {
  const routes = sortRoutes(opts.routes.map((b) => compileRoute(b.route, b.invoke)));
  const maxBody = opts.maxBodyBytes ?? MAX_BODY_BYTES;
  const log = opts.quiet ? () => undefined : (opts.log ?? ((line: string) => console.log(line)));
  const logError = opts.logError ?? ((message: string, err: unknown) => console.error(message, err));

  const handle = async (raw: RawRequest): Promise<HttpResponse> => {
    const path = raw.url.split('?')[0]!;
    const found = findRoute(routes, raw.method, path);
    if (!found) return NOT_FOUND();
    const { compiled, pathParameters } = found;
    const requestId = newRequestId();
    const event = buildHttpEvent(raw, compiled.routeKey, pathParameters, requestId);

    if (compiled.route.auth !== 'public') {
      // API Gateway answers 401 itself, without calling the authorizer, when an identity source is missing.
      if (!event.headers.authorization) return UNAUTHORIZED();
      if (!opts.authorizer) {
        logError(`${compiled.routeKey}: the route needs an authorizer but none is configured`, undefined);
        return SERVER_ERROR();
      }
      let decision: unknown;
      try {
        decision = await opts.authorizer(buildAuthorizerEvent(event));
      } catch (err) {
        logError(`authorizer failed for ${compiled.routeKey} (request ${requestId})`, err);
        return SERVER_ERROR();
      }
      const simple = decision as { isAuthorized?: unknown; context?: unknown } | null;
      if (typeof simple?.isAuthorized !== 'boolean') {
        logError(`authorizer returned no boolean isAuthorized for ${compiled.routeKey} (simple responses expected)`, decision);
        return SERVER_ERROR();
      }
      if (!simple.isAuthorized) return FORBIDDEN();
      (event.requestContext as { authorizer?: unknown }).authorizer = { lambda: simple.context ?? {} };
    }

    try {
      return toHttpResponse(await compiled.target(event));
    } catch (err) {
      logError(`${compiled.routeKey} failed (request ${requestId})`, err);
      return SERVER_ERROR();
    }
  };

  const server = createServer((req, res) => {
    const started = performance.now();
    const done = (r: HttpResponse) => {
      write(res, r);
      log(`${req.method} ${req.url?.split('?')[0]} ${r.statusCode} ${Math.round(performance.now() - started)}ms`);
    };
    readBody(req, maxBody)
      .then((body) => {
        if (!body) {
          res.setHeader('connection', 'close'); // stop reading an oversized upload
          return done(TOO_LARGE());
        }
        return handle({
          method: req.method ?? 'GET',
          url: req.url ?? '/',
          headers: req.headersDistinct as Record<string, string[]>,
          body,
          sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
          localPort: req.socket.localPort ?? 0,
          receivedAt: new Date(),
        }).then(done);
      })
      .catch((err: unknown) => {
        logError('request failed', err);
        if (!res.headersSent) done(SERVER_ERROR());
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const urlHost = address.address === '0.0.0.0' ? '127.0.0.1' : address.address === '::' ? '[::1]' : shownHost;
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    close: () => closeServer(server),
  };
}

/** Reads the whole body, or resolves `undefined` as soon as it exceeds `max` bytes. */
async function readBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  if (Number(req.headers['content-length'] ?? 0) > max) {
    req.resume();
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) {
      req.resume();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function write(res: ServerResponse, r: HttpResponse): void {
  if (res.headersSent) return;
  res.statusCode = r.statusCode;
  for (const [k, v] of Object.entries(r.headers)) res.setHeader(k, v);
  if (r.cookies.length) res.setHeader('set-cookie', r.cookies);
  res.setHeader('content-length', r.body.length);
  res.end(r.body);
}

/**
 * Stops accepting connections, lets requests in flight finish (a handler may
 * take its whole timeout), then drops whatever keep-alive sockets remain.
 */
async function closeServer(server: ReturnType<typeof createServer>, graceMs = 10_000): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  await closed;
  clearTimeout(timer);
}
