/**
 * API Gateway HTTP API (payload format 2.0) semantics, without the network:
 * route matching, the Lambda event and authorizer event built from a request,
 * and the handler's result turned back into an HTTP response.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import type { HttpRoute } from '../topology';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './lambda';

/** The local API's id, standing in for API Gateway's random one. */
export const LOCAL_API_ID = 'local';

/** A route compiled for matching. */
export interface CompiledRoute<T> {
  route: HttpRoute;
  routeKey: string;
  target: T;
  match(path: string): Record<string, string> | undefined;
  /** Per segment: 0 literal, 1 `{param}`, 2 `{greedy+}`; lower sorts first (API GW prefers the most specific route). */
  rank: number[];
}

/** Compiles a topology route: `{name}` matches one segment, `{name+}` the rest of the path. */
export function compileRoute<T>(route: HttpRoute, target: T): CompiledRoute<T> {
  const segments = route.path.split('/').slice(1);
  const rank = segments.map((s) => (/^\{.+\+\}$/.test(s) ? 2 : /^\{.+\}$/.test(s) ? 1 : 0));
  const match = (path: string): Record<string, string> | undefined => {
    const parts = path.split('/').slice(1);
    const params: Record<string, string> = {};
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i]!;
      if (rank[i] === 2) {
        const rest = parts.slice(i).join('/');
        if (!rest) return undefined;
        params[seg.slice(1, -2)] = safeDecode(rest);
        return params;
      }
      const part = parts[i];
      if (part === undefined) return undefined;
      if (rank[i] === 1) {
        if (!part) return undefined;
        params[seg.slice(1, -1)] = safeDecode(part);
      } else if (part !== seg) return undefined;
    }
    return parts.length === segments.length ? params : undefined;
  };
  return { route, routeKey: `${route.method} ${route.path}`, target, match, rank };
}

/** Orders routes most specific first, as API Gateway picks among matching routes. */
export function sortRoutes<T>(routes: Array<CompiledRoute<T>>): Array<CompiledRoute<T>> {
  const cmp = (a: number[], b: number[]): number => {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const d = (a[i] ?? -1) - (b[i] ?? -1);
      if (d !== 0) return d;
    }
    return 0;
  };
  return [...routes].sort((a, b) => cmp(a.rank, b.rank));
}

/** Finds the route for a method and path; API GW answers 404 for a path served under another method too. */
export function findRoute<T>(
  routes: Array<CompiledRoute<T>>,
  method: string,
  path: string,
): { compiled: CompiledRoute<T>; pathParameters: Record<string, string> } | undefined {
  for (const compiled of routes) {
    if (compiled.route.method !== method) continue;
    const pathParameters = compiled.match(path);
    if (pathParameters) return { compiled, pathParameters };
  }
  return undefined;
}

/** What the HTTP server read from the socket. */
export interface RawRequest {
  method: string;
  /** Path and query exactly as sent (`req.url`). */
  url: string;
  /** Header values by lower-case name, repeats kept apart (`req.headersDistinct`). */
  headers: Record<string, string[]>;
  body: Buffer;
  sourceIp: string;
  /** Port the local API listens on, for `x-forwarded-port`. */
  localPort: number;
  receivedAt: Date;
}

/** API Gateway's request id style: short, random, base64. */
export const newRequestId = (): string => randomBytes(10).toString('base64');

/**
 * The Lambda event for a matched route, as API Gateway builds it: headers
 * lower-cased and repeats joined with commas, cookies split out of the `cookie`
 * header, repeated query parameters joined with commas, and a body that is
 * base64-encoded unless its content type is text.
 */
export function buildHttpEvent(req: RawRequest, routeKey: string, pathParameters: Record<string, string>, requestId: string): APIGatewayProxyEventV2 {
  const q = req.url.indexOf('?');
  const rawPath = q === -1 ? req.url : req.url.slice(0, q);
  const rawQueryString = q === -1 ? '' : req.url.slice(q + 1);
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(req.headers)) {
    if (name !== 'cookie') headers[name] = values.join(',');
  }
  const amznTime = Math.floor(req.receivedAt.getTime() / 1000).toString(16);
  headers['x-forwarded-for'] = headers['x-forwarded-for'] ? `${headers['x-forwarded-for']}, ${req.sourceIp}` : req.sourceIp;
  headers['x-forwarded-port'] = String(req.localPort);
  headers['x-forwarded-proto'] = 'http';
  headers['x-amzn-trace-id'] ??= `Root=1-${amznTime}-${randomBytes(12).toString('hex')}`;
  const cookies = (req.headers.cookie ?? []).flatMap((c) => c.split(';')).map((c) => c.trim()).filter(Boolean);

  const query: Record<string, string[]> = {};
  for (const [k, v] of new URLSearchParams(rawQueryString)) (query[k] ??= []).push(v);
  const queryStringParameters = Object.fromEntries(Object.entries(query).map(([k, v]) => [k, v.join(',')]));

  const host = headers.host ?? 'localhost';
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString,
    ...(cookies.length ? { cookies } : {}),
    headers,
    ...(Object.keys(queryStringParameters).length ? { queryStringParameters } : {}),
    requestContext: {
      accountId: LOCAL_ACCOUNT,
      apiId: LOCAL_API_ID,
      domainName: host,
      domainPrefix: host.split('.')[0]!.split(':')[0]!,
      http: {
        method: req.method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: req.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey,
      stage: '$default',
      time: clfTime(req.receivedAt),
      timeEpoch: req.receivedAt.getTime(),
    },
    ...(Object.keys(pathParameters).length ? { pathParameters } : {}),
    isBase64Encoded: false,
  };
  if (req.body.length > 0) {
    const text = isTextContentType(headers['content-type']);
    event.body = req.body.toString(text ? 'utf8' : 'base64');
    event.isBase64Encoded = !text;
  }
  return event;
}

/**
 * The REQUEST authorizer event (payload 2.0) for a route whose identity sources
 * are the `Authorization` header and the route key.
 */
export function buildAuthorizerEvent(event: APIGatewayProxyEventV2): APIGatewayRequestAuthorizerEventV2 {
  const { method } = event.requestContext.http;
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: `arn:aws:execute-api:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${LOCAL_API_ID}/$default/${method}${event.rawPath}`,
    identitySource: [event.headers.authorization ?? '', event.routeKey],
    routeKey: event.routeKey,
    rawPath: event.rawPath,
    rawQueryString: event.rawQueryString,
    cookies: event.cookies ?? [],
    headers: event.headers,
    ...(event.queryStringParameters ? { queryStringParameters: event.queryStringParameters as Record<string, string> } : {}),
    requestContext: event.requestContext,
    ...(event.pathParameters ? { pathParameters: event.pathParameters } : {}),
  };
}

/** An HTTP response ready to write. */
export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  cookies: string[];
  body: Buffer;
}

/** The handler returned something API Gateway would answer with a 500. */
export class MalformedLambdaResponseError extends Error {
  override readonly name = 'MalformedLambdaResponseError';
}

/**
 * Maps a handler's result to HTTP. A result with `statusCode` is taken as the
 * structured format; anything else is inferred: 200, `application/json`, and the
 * result as body (a string as is, other values as JSON).
 */
export function toHttpResponse(result: unknown): HttpResponse {
  const isStructured = typeof result === 'object' && result !== null && 'statusCode' in result;
  if (!isStructured) {
    const body = typeof result === 'string' ? result : result === undefined ? '' : JSON.stringify(result);
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, cookies: [], body: Buffer.from(body, 'utf8') };
  }
  const r = result as { statusCode: unknown; headers?: unknown; cookies?: unknown; body?: unknown; isBase64Encoded?: unknown };
  if (typeof r.statusCode !== 'number' || !Number.isInteger(r.statusCode) || r.statusCode < 100 || r.statusCode > 599) {
    throw new MalformedLambdaResponseError(`statusCode must be an integer HTTP status, got ${JSON.stringify(r.statusCode)}`);
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries((r.headers ?? {}) as Record<string, unknown>)) headers[k.toLowerCase()] = String(v);
  const cookies = Array.isArray(r.cookies) ? r.cookies.map(String) : [];
  const text = r.body === undefined || r.body === null ? '' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
  const body = r.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
  return { statusCode: r.statusCode, headers, cookies, body };
}

/** Content types API Gateway passes as text; any other body reaches the function base64-encoded. */
export function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return /^text\//.test(type) || /^application\/([\w.-]+\+)?(json|xml)$/.test(type) || type === 'application/javascript';
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `12/Mar/2020:19:03:58 +0000`, the format of `requestContext.time`. */
function clfTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
