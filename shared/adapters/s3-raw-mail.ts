import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DependencyError } from '../domain/errors';
import { RawMailNotFoundError, type RawMail } from '../domain/raw-mail';

/**
 * S3 reports a missing key as NoSuchKey, or as a bare 404 when there is no body
 * to carry the code. A missing bucket is also a 404, but that is configuration,
 * not a lost mail: it stays retryable.
 */
const isMissing = (err: unknown): boolean => {
  const e = err as { name?: unknown; $metadata?: { httpStatusCode?: unknown } } | undefined;
  return e?.name === 'NoSuchKey' || (e?.$metadata?.httpStatusCode === 404 && e?.name !== 'NoSuchBucket');
};

/** Reads the raw MIME that the SES receipt rule's S3 action stored in the raw-mail bucket. */
export class S3RawMail implements RawMail {
  private readonly s3: S3Client;

  /** `client` is for tests and the local runtime; by default one is built from the environment. */
  constructor(private readonly opts: { bucket: string; client?: S3Client }) {
    // The local emulator serves buckets by path, not by virtual host.
    this.s3 = opts.client ?? new S3Client({ forcePathStyle: process.env.AWS_S3_FORCE_PATH_STYLE === 'true' });
  }

  /**
   * The object's bytes. Throws `RawMailNotFoundError` when it does not exist and
   * `DependencyError` (retryable) for any other S3 failure.
   */
  async read(key: string): Promise<Buffer> {
    const { bucket } = this.opts;
    let body: Uint8Array;
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      if (!out.Body) throw new RawMailNotFoundError(bucket, key);
      body = await out.Body.transformToByteArray();
    } catch (err) {
      if (err instanceof RawMailNotFoundError) throw err;
      if (isMissing(err)) throw new RawMailNotFoundError(bucket, key, { cause: err });
      throw new DependencyError('S3 failed to return the raw mail', { cause: err });
    }
    return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  }
}
