import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import { NotFoundError, PayloadTooLargeError, SwitchboardError, UnsupportedMediaTypeError, ValidationError } from '../../shared/domain/errors';
import { logger } from './logger';
import { issuesOf, problemResponse } from './problem';

/** The context our authorizer attaches (see functions/api/authorizer.ts). */
export interface AuthContext {
  keyId: string;
  role: string;
}

export type HttpEvent = APIGatewayProxyEventV2 & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & { authorizer?: { lambda?: Partial<AuthContext> } };
};
export type HttpResult = APIGatewayProxyStructuredResultV2;
export type RouteHandler = (event: HttpEvent) => Promise<HttpResult>;

/**
 * Wraps a map of `"METHOD /path"` route keys to handlers: dispatch by the event's
 * routeKey, structured logs with the request id, and errors mapped to problem+json.
 */
export function httpRoutes(routes: Record<string, RouteHandler>) {
  const base = async (event: HttpEvent, _context: Context): Promise<HttpResult> => {
    logger.appendKeys({ requestId: event.requestContext?.requestId, routeKey: event.routeKey });
    try {
      const route = routes[event.routeKey];
      if (!route) throw new NotFoundError(`No route ${event.routeKey}`);
      return await route(event);
    } catch (err) {
      if (!(err instanceof SwitchboardError) || err.status >= 500) logger.error('request failed', err as Error);
      return problemResponse(err);
    }
  };
  return middy(base).use(injectLambdaContext(logger, { resetKeys: true }));
}

export const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult => ({
  statusCode,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/** Decoded request body as text, refusing more than `maxBytes`. */
export function bodyText(event: HttpEvent, maxBytes: number): string {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > maxBytes) throw new PayloadTooLargeError(`The body is ${bytes.length} bytes; the limit is ${maxBytes}.`);
  return bytes.toString('utf8');
}

/** Parses and validates a JSON body; anything else is a 400 that says what is wrong. */
export function parseJsonBody<S extends z.ZodType>(event: HttpEvent, schema: S, maxBytes: number): z.infer<S> {
  const contentType = event.headers?.['content-type'] ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(contentType)) {
    throw new UnsupportedMediaTypeError('Send the body as JSON with `content-type: application/json`.');
  }
  const text = bodyText(event, maxBytes);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ValidationError(`The body is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationError('The body is not valid.', issuesOf(parsed.error));
  return parsed.data;
}

/** Validates query string parameters against a schema. */
export function parseQuery<S extends z.ZodType>(event: HttpEvent, schema: S): z.infer<S> {
  const parsed = schema.safeParse(event.queryStringParameters ?? {});
  if (!parsed.success) throw new ValidationError('The query string is not valid.', issuesOf(parsed.error));
  return parsed.data;
}

/** Validates path parameters against a schema. */
export function parsePath<S extends z.ZodType>(event: HttpEvent, schema: S): z.infer<S> {
  const parsed = schema.safeParse(event.pathParameters ?? {});
  if (!parsed.success) throw new ValidationError('The path is not valid.', issuesOf(parsed.error));
  return parsed.data;
}
