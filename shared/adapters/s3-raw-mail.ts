import { GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { DependencyError, NotFoundError } from '../domain/errors';

/** Reads raw MIME that the SES receipt rule stored. */
export class S3RawMail {
  private readonly s3: S3Client;
  constructor(private readonly opts: { bucket: string; client?: S3Client }) {
    // The local emulator serves buckets by path, not by virtual host.
    this.s3 = opts.client ?? new S3Client({ forcePathStyle: process.env.AWS_S3_FORCE_PATH_STYLE === 'true' });
  }

  async read(key: string): Promise<Uint8Array> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.opts.bucket, Key: key }));
      if (!out.Body) throw new NotFoundError(`s3://${this.opts.bucket}/${key} is empty`);
      return await out.Body.transformToByteArray();
    } catch (err) {
      if (err instanceof NotFoundError) throw err;
      if (err instanceof NoSuchKey) throw new NotFoundError(`No raw mail at s3://${this.opts.bucket}/${key}`, { cause: err });
      throw new DependencyError('S3 failed to return the raw mail', { cause: err });
    }
  }
}
