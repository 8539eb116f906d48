import { NotFoundError } from './errors';

/** The raw MIME of inbound mail, by object key (the SES receipt rule stores it). */
export interface RawMail {
  /** Throws `RawMailNotFoundError` when it does not exist, `DependencyError` (retryable) on other failures. */
  read(key: string): Promise<Buffer>;
}

/**
 * The raw mail object does not exist (expired, deleted, or the S3 action never
 * wrote it). Permanent: retrying the same event cannot make it appear.
 */
export class RawMailNotFoundError extends NotFoundError {
  constructor(
    readonly bucket: string,
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`No raw mail at s3://${bucket}/${key}`, options);
  }
}
