import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DependencyError } from '../domain/errors';
import type { ModelStore, PromotionRecord, RetrainDecision } from '../classify/model-store';

/** Key layout of the models bucket. */
export const modelKeys = {
  version: (name: string, version: string) => `models/${name}/${version}.json`,
  current: (name: string) => `models/${name}/current.json`,
  decision: (runAt: string) => `models/retrain/decisions/${runAt}.json`,
  lastDecision: 'models/retrain/latest.json',
} as const;

/**
 * A missing key is NoSuchKey (or a bare 404). S3 answers 403 instead when the caller may
 * not list the bucket, which is why the topology's models bindings also grant ListBucket.
 */
const isMissing = (err: unknown): boolean => {
  const e = err as { name?: unknown; $metadata?: { httpStatusCode?: unknown } } | undefined;
  return e?.name === 'NoSuchKey' || (e?.$metadata?.httpStatusCode === 404 && e?.name !== 'NoSuchBucket');
};

/** The model store over the (versioned, private) models bucket. */
export class S3ModelStore implements ModelStore {
  private readonly s3: S3Client;

  /** `client` is for tests and the local runtime; by default one is built from the environment. */
  constructor(private readonly opts: { bucket: string; client?: S3Client }) {
    // The local emulator serves buckets by path, not by virtual host.
    this.s3 = opts.client ?? new S3Client({ forcePathStyle: process.env.AWS_S3_FORCE_PATH_STYLE === 'true' });
  }

  /** Parsed JSON of an object, undefined when it does not exist; DependencyError for any other failure. */
  private async readJson(key: string): Promise<unknown | undefined> {
    let text: string;
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.opts.bucket, Key: key }));
      if (!out.Body) return undefined;
      text = await out.Body.transformToString('utf8');
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw new DependencyError(`S3 failed to return s3://${this.opts.bucket}/${key}`, { cause: err });
    }
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new DependencyError(`s3://${this.opts.bucket}/${key} is not JSON`, { cause: err });
    }
  }

  private async writeJson(key: string, value: unknown): Promise<void> {
    try {
      await this.s3.send(
        new PutObjectCommand({ Bucket: this.opts.bucket, Key: key, Body: JSON.stringify(value), ContentType: 'application/json' }),
      );
    } catch (err) {
      throw new DependencyError(`S3 failed to store s3://${this.opts.bucket}/${key}`, { cause: err });
    }
  }

  async getRecord(name: string): Promise<PromotionRecord | undefined> {
    const record = (await this.readJson(modelKeys.current(name))) as PromotionRecord | undefined;
    if (record !== undefined && (typeof record !== 'object' || typeof record.key !== 'string')) {
      throw new DependencyError(`s3://${this.opts.bucket}/${modelKeys.current(name)} is not a promotion record`);
    }
    return record;
  }

  async getPromoted(name: string): Promise<unknown | undefined> {
    const record = await this.getRecord(name);
    if (!record) return undefined;
    const artifact = await this.readJson(record.key);
    if (artifact === undefined) throw new DependencyError(`promoted model ${record.key} is missing from s3://${this.opts.bucket}`);
    return artifact;
  }

  /** The version object first: a reader never sees a pointer to an object not yet written. */
  async promote(name: string, artifact: unknown, record: Omit<PromotionRecord, 'key'>): Promise<void> {
    const key = modelKeys.version(name, record.version);
    await this.writeJson(key, artifact);
    await this.writeJson(modelKeys.current(name), { ...record, key });
  }

  async lastDecision(): Promise<RetrainDecision | undefined> {
    return (await this.readJson(modelKeys.lastDecision)) as RetrainDecision | undefined;
  }

  async recordDecision(decision: RetrainDecision): Promise<void> {
    await this.writeJson(modelKeys.decision(decision.runAt.replace(/[:.]/g, '-')), decision);
    await this.writeJson(modelKeys.lastDecision, decision);
  }
}
