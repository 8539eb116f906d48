/**
 * Typed errors of the domain. Each carries the HTTP status it maps to, so the
 * mapping lives in one place (shared/http/problem.ts) and handlers never build
 * error bodies by hand.
 */
export class SwitchboardError extends Error {
  readonly status: number = 500;
  readonly code: string = 'internal';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export interface FieldIssue {
  path: string;
  message: string;
}

export class ValidationError extends SwitchboardError {
  override readonly status = 400;
  override readonly code = 'validation';
  constructor(
    message: string,
    readonly details: FieldIssue[] = [],
  ) {
    super(message);
  }
}

export class PayloadTooLargeError extends SwitchboardError {
  override readonly status = 413;
  override readonly code = 'payload-too-large';
}

export class UnsupportedMediaTypeError extends SwitchboardError {
  override readonly status = 415;
  override readonly code = 'unsupported-media-type';
}

export class UnauthorizedError extends SwitchboardError {
  override readonly status = 401;
  override readonly code = 'unauthorized';
}

export class ForbiddenError extends SwitchboardError {
  override readonly status = 403;
  override readonly code = 'forbidden';
}

export class NotFoundError extends SwitchboardError {
  override readonly status = 404;
  override readonly code = 'not-found';
}

export class ConflictError extends SwitchboardError {
  override readonly status = 409;
  override readonly code = 'conflict';
}

/** A dependency (DynamoDB, SQS, ...) failed; the caller may retry. */
export class DependencyError extends SwitchboardError {
  override readonly status = 503;
  override readonly code = 'dependency-unavailable';
}

/** Configuration missing or invalid at cold start. */
export class ConfigError extends SwitchboardError {
  override readonly code = 'config';
}
