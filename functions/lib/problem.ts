import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod';
import { SwitchboardError, ValidationError, type FieldIssue } from '../../shared/domain/errors';

/**
 * The one place errors become HTTP answers: RFC 9457 problem+json with the
 * error's status; unexpected errors never leak their message.
 */
export function problemResponse(err: unknown): APIGatewayProxyStructuredResultV2 {
  const known = err instanceof SwitchboardError && err.status < 500 ? err : undefined;
  const status = err instanceof SwitchboardError ? err.status : 500;
  const body: Record<string, unknown> = {
    type: `urn:switchboard:problem:${err instanceof SwitchboardError ? err.code : 'internal'}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail: known ? known.message : status === 503 ? 'A dependency is unavailable; retry the request.' : 'Something went wrong on our side.',
  };
  if (err instanceof ValidationError && err.details.length) body.details = err.details;
  return {
    statusCode: status,
    headers: { 'content-type': 'application/problem+json' },
    body: JSON.stringify(body),
  };
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** zod issues as `{ path, message }` pairs a person can act on. */
export function issuesOf(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
}
