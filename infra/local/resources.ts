import { ConfigError } from '../../shared/domain/errors';
/**
 * Creates the topology's tables, queues (each with its DLQ), bucket and topic in
 * the emulators, and returns the env vars that point the handlers at them.
 * Safe to run again on a persistent DynamoDB data folder.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
  type GlobalSecondaryIndex,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { FauxqsServer } from 'fauxqs';
import {
  buckets,
  envVar,
  functionList,
  queues,
  tables,
  topics,
  type QueueName,
  type TableName,
  type TableSpec,
  type TopicName,
} from '../topology';
import { LOCAL_CREDENTIALS } from './emulators';
import { LOCAL_REGION } from './lambda';

/** Env vars for handlers and tests: resource names and emulator endpoints. */
export type LocalEnv = Record<string, string>;

export interface LocalQueue {
  url: string;
  arn: string;
  dlqUrl: string;
}

export interface LocalResources {
  env: LocalEnv;
  queues: Record<QueueName, LocalQueue>;
  /** LatestStreamArn of each table the topology gives a stream. */
  streams: Partial<Record<TableName, string>>;
}

/** SQS's own default, for a queue no function consumes. */
const DEFAULT_VISIBILITY_SECONDS = 30;

/** Local physical name of a topology resource: `rawMail` → `switchboard-raw-mail`. */
export const localName = (key: string): string => `switchboard-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** Env var carrying a queue's DLQ URL (no function binds one; tests and operators use it). */
export const dlqEnvVar = (q: QueueName): string => `${q.toUpperCase()}_DLQ_URL`;

/**
 * Env var carrying a topic's ARN (`inboundSms` → `INBOUND_SMS_TOPIC_ARN`); the
 * topology's `envVar` has no `topic` entry yet, so the same rule is kept here.
 */
export const topicEnvVar = (t: TopicName): string => `${t.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}_TOPIC_ARN`;

/**
 * Creates every resource of the topology and returns the env map. The SDK v3
 * honours the service-specific `AWS_ENDPOINT_URL_<SERVICE>` variables, so
 * handlers need no local-only code to reach the emulators.
 */
export async function createResources(emulators: {
  dynamodb: { endpoint: string };
  fauxqsEndpoint: string;
  fauxqs: Pick<FauxqsServer, 'createTopic'>;
}): Promise<LocalResources> {
  const common = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  const dynamo = new DynamoDBClient({ ...common, endpoint: emulators.dynamodb.endpoint });
  const sqs = new SQSClient({ ...common, endpoint: emulators.fauxqsEndpoint });
  const s3 = new S3Client({ ...common, endpoint: emulators.fauxqsEndpoint, forcePathStyle: true });
  try {
    const env: LocalEnv = {
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: emulators.dynamodb.endpoint,
      AWS_ENDPOINT_URL_SQS: emulators.fauxqsEndpoint,
      AWS_ENDPOINT_URL_S3: emulators.fauxqsEndpoint,
      AWS_ENDPOINT_URL_SNS: emulators.fauxqsEndpoint,
      AWS_S3_FORCE_PATH_STYLE: 'true',
      // Handlers log through Powertools at INFO in the cloud; locally that would drown the
      // per-request lines, so WARN unless the user asked for a level.
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    };
    const streams: LocalResources['streams'] = {};
    for (const [name, spec] of Object.entries(tables) as Array<[TableName, TableSpec]>) {
      const streamArn = await ensureTable(dynamo, localName(name), spec);
      if (streamArn) streams[name] = streamArn;
      env[envVar.table(name)] = localName(name);
    }
    const made = {} as Record<QueueName, LocalQueue>;
    for (const [name, spec] of Object.entries(queues) as Array<[QueueName, (typeof queues)[QueueName]]>) {
      made[name] = await createQueue(sqs, name, spec);
      env[envVar.queue(name)] = made[name].url;
      env[dlqEnvVar(name)] = made[name].dlqUrl;
    }
    for (const name of Object.keys(buckets) as Array<keyof typeof buckets>) {
      // Lifecycle expiry (expireAfterDays) has no fauxqs equivalent; local mail is kept.
      await s3.send(new CreateBucketCommand({ Bucket: localName(name) }));
      env[envVar.bucket(name)] = localName(name);
    }
    for (const name of Object.keys(topics) as TopicName[]) {
      // fauxqs's own API: @aws-sdk/client-sns is not a dependency of the project.
      env[topicEnvVar(name)] = emulators.fauxqs.createTopic(localName(name)).topicArn;
    }
    return { env, queues: made, streams };
  } finally {
    dynamo.destroy();
    sqs.destroy();
    s3.destroy();
  }
}

/**
 * Creates a table, or brings an existing one (persistent data folder) up to the
 * topology: missing GSIs are added, TTL and the stream switched on. Every key attribute is a
 * string; the topology does not declare types. Resolves to the table's LatestStreamArn when
 * the topology gives it a stream.
 */
export async function ensureTable(dynamo: DynamoDBClient, TableName: string, spec: TableSpec): Promise<string | undefined> {
  const StreamSpecification = spec.stream ? { StreamEnabled: true, StreamViewType: spec.stream.viewType } : undefined;
  const keys = [spec.partitionKey, spec.sortKey, ...spec.indexes.flatMap((i) => [i.partitionKey, i.sortKey])];
  const AttributeDefinitions: AttributeDefinition[] = [...new Set(keys)].map((AttributeName) => ({ AttributeName, AttributeType: 'S' }));
  const gsi = (i: TableSpec['indexes'][number]): GlobalSecondaryIndex => ({
    IndexName: i.name,
    KeySchema: [
      { AttributeName: i.partitionKey, KeyType: 'HASH' },
      { AttributeName: i.sortKey, KeyType: 'RANGE' },
    ],
    Projection:
      i.projection === undefined || typeof i.projection === 'string'
        ? { ProjectionType: i.projection ?? 'ALL' }
        : { ProjectionType: 'INCLUDE', NonKeyAttributes: [...i.projection.include] },
  });
  try {
    await dynamo.send(
      new CreateTableCommand({
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions,
        KeySchema: [
          { AttributeName: spec.partitionKey, KeyType: 'HASH' },
          { AttributeName: spec.sortKey, KeyType: 'RANGE' },
        ],
        ...(spec.indexes.length ? { GlobalSecondaryIndexes: spec.indexes.map(gsi) } : {}),
        ...(StreamSpecification ? { StreamSpecification } : {}),
      }),
    );
  } catch (err) {
    if (!(err instanceof ResourceInUseException)) throw err;
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName }));
    const existing = Table?.GlobalSecondaryIndexes ?? [];
    // An index of the same name with other keys or another projection is an older layout: its items
    // were written for other keys, so using them would hide data. Refuse rather than guess.
    for (const have of existing) {
      const want = spec.indexes.find((i) => i.name === have.IndexName);
      if (want && indexShape(have) !== indexShape(gsi(want))) throw new StaleLocalDataError(TableName, String(have.IndexName), indexShape(have), indexShape(gsi(want)));
    }
    const present = new Set(existing.map((g) => g.IndexName));
    // DynamoDB creates one GSI per UpdateTable call.
    for (const index of spec.indexes.filter((i) => !present.has(i.name))) {
      await dynamo.send(
        new UpdateTableCommand({ TableName, AttributeDefinitions, GlobalSecondaryIndexUpdates: [{ Create: gsi(index) }] }),
      );
    }
    // A folder made before the stream: switch it on (another view type is switched off first).
    const current = Table?.StreamSpecification;
    if (StreamSpecification && (!current?.StreamEnabled || current.StreamViewType !== StreamSpecification.StreamViewType)) {
      if (current?.StreamEnabled) await dynamo.send(new UpdateTableCommand({ TableName, StreamSpecification: { StreamEnabled: false } }));
      await dynamo.send(new UpdateTableCommand({ TableName, StreamSpecification }));
    }
  }
  if (spec.ttlAttribute) {
    const ttl = await dynamo.send(new DescribeTimeToLiveCommand({ TableName }));
    const d = ttl.TimeToLiveDescription;
    // Enabling TTL twice is a ValidationException, so look first.
    if (d?.TimeToLiveStatus !== 'ENABLED' || d.AttributeName !== spec.ttlAttribute) {
      await dynamo.send(
        new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: { AttributeName: spec.ttlAttribute, Enabled: true } }),
      );
    }
  }
  if (!spec.stream) return undefined;
  const { Table } = await dynamo.send(new DescribeTableCommand({ TableName }));
  if (!Table?.LatestStreamArn) throw new Error(`DynamoDB Local gave table ${TableName} no stream`);
  return Table.LatestStreamArn;
}

/** An index's keys and projection, comparable between DescribeTable and the topology. */
function indexShape(g: Partial<Pick<GlobalSecondaryIndex, 'KeySchema' | 'Projection'>>): string {
  const keys = (g.KeySchema ?? []).map((k) => `${k.AttributeName}:${k.KeyType}`).join(',');
  const projection = `${g.Projection?.ProjectionType ?? 'ALL'}${g.Projection?.NonKeyAttributes?.length ? `(${[...g.Projection.NonKeyAttributes].sort().join(',')})` : ''}`;
  return `${keys} ${projection}`;
}

/** A persistent data folder written by an older table layout. */
export class StaleLocalDataError extends ConfigError {
  constructor(table: string, index: string, found: string, expected: string) {
    super(
      `The local data folder holds table ${table} of an older layout (index ${index}: ${found}; this version needs ${expected}). ` +
        'Its items were written for other keys and would not show. Start with a new --data-dir, delete the folder, or use --memory.',
    );
  }
}

/**
 * The queue's visibility timeout follows AWS's advice for Lambda consumers: six
 * times the consuming function's timeout, so a slow batch is not redelivered
 * while it is still being processed.
 */
export function visibilityTimeoutFor(queue: QueueName): number {
  const consumer = functionList().find(([, f]) => f.trigger.kind === 'queue' && f.trigger.queue === queue);
  return consumer ? 6 * consumer[1].timeoutSeconds : DEFAULT_VISIBILITY_SECONDS;
}

async function createQueue(sqs: SQSClient, name: QueueName, spec: (typeof queues)[QueueName]): Promise<LocalQueue> {
  const dlq = await sqs.send(
    new CreateQueueCommand({
      QueueName: `${localName(name)}-dlq`,
      Attributes: { MessageRetentionPeriod: String(spec.dlqRetentionDays * 86_400) },
    }),
  );
  const dlqArn = await queueArn(sqs, dlq.QueueUrl!);
  const main = await sqs.send(
    new CreateQueueCommand({
      QueueName: localName(name),
      Attributes: {
        VisibilityTimeout: String(visibilityTimeoutFor(name)),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: spec.maxReceiveCount }),
      },
    }),
  );
  return { url: main.QueueUrl!, arn: await queueArn(sqs, main.QueueUrl!), dlqUrl: dlq.QueueUrl! };
}

/** A queue's ARN, asked of the emulator rather than assembled by hand. */
export async function queueArn(sqs: SQSClient, QueueUrl: string): Promise<string> {
  const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  const arn = out.Attributes?.QueueArn;
  if (!arn) throw new Error(`The emulator returned no ARN for ${QueueUrl}`);
  return arn;
}
