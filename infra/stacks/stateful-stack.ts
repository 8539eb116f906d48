import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AttributeType, Billing, ProjectionType, StreamViewType, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY } from 'aws-cdk-lib/cx-api';
import { bucketNameFor } from '../constructs/names';
import { FailureQueue } from '../constructs/failure-queue';
import { QueueWithDlq } from '../constructs/queue-with-dlq';
import {
  RAW_MAIL_PREFIX,
  buckets,
  functionList,
  queues,
  tables,
  topics,
  type BucketName,
  type QueueName,
  type IndexProjection,
  type TableName,
  type TopicName,
} from '../topology';

/** What the stateless stack receives from the stateful one, by topology name. */
export interface StatefulResources {
  tables: Record<TableName, TableV2>;
  /** The on-failure queue of each table with a stream (batches its mappings gave up on). */
  streamFailures: Partial<Record<TableName, FailureQueue>>;
  queues: Record<QueueName, QueueWithDlq>;
  buckets: Record<BucketName, Bucket>;
  topics: Record<TopicName, Topic>;
}

/** Used for a queue no function consumes (none today: each queue has its consumer). */
const FALLBACK_VISIBILITY_TIMEOUT = Duration.seconds(180);

/**
 * Visibility timeout of a queue: six times the timeout of the function that consumes
 * it (AWS's guidance, so a batch being retried by Lambda is not redelivered meanwhile).
 */
export function visibilityTimeoutFor(queue: QueueName): Duration {
  const consumer = functionList().find(([, s]) => s.trigger.kind === 'queue' && s.trigger.queue === queue);
  return consumer ? Duration.seconds(6 * consumer[1].timeoutSeconds) : FALLBACK_VISIBILITY_TIMEOUT;
}

/**
 * Everything that holds data: tables, the raw-mail bucket, queues with their DLQs
 * and the inbound SMS topic. Kept apart from the functions so that redeploying
 * code can never replace a table. Data is retained when the stack is deleted.
 */
export class StatefulStack extends Stack implements StatefulResources {
  readonly tables: Record<TableName, TableV2>;
  readonly streamFailures: Partial<Record<TableName, FailureQueue>>;
  readonly queues: Record<QueueName, QueueWithDlq>;
  readonly buckets: Record<BucketName, Bucket>;
  readonly topics: Record<TopicName, Topic>;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    // Server access logs are delivered under a bucket policy (logging.s3.amazonaws.com,
    // this account and bucket only) instead of the legacy LogDeliveryWrite ACL, so the
    // log bucket can disable ACLs. Set here because cdk.json belongs to the whole repo.
    this.node.setContext(S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    // On unless the context says false (cdk.json sets it; `-c switchboard:deletionProtection=false` passes a string).
    const flag: unknown = this.node.tryGetContext('switchboard:deletionProtection');
    const deletionProtection = flag !== false && flag !== 'false';

    this.tables = mapRecord(tables, (name, spec) => {
      const table = new TableV2(this, `${pascal(name)}Table`, {
        partitionKey: { name: spec.partitionKey, type: AttributeType.STRING },
        sortKey: { name: spec.sortKey, type: AttributeType.STRING },
        billing: Billing.onDemand(),
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        // The AWS-managed key (aws/dynamodb): encrypted at rest and logged in CloudTrail,
        // with no key to pay for or key policy to keep right. A customer-managed key
        // would only pay off for cross-account access or crypto-shredding.
        encryption: TableEncryptionV2.awsManagedKey(),
        deletionProtection,
        removalPolicy: RemovalPolicy.RETAIN,
        ...(spec.ttlAttribute ? { timeToLiveAttribute: spec.ttlAttribute } : {}),
        ...(spec.stream ? { dynamoStream: StreamViewType[spec.stream.viewType] } : {}),
        globalSecondaryIndexes: spec.indexes.map((i) => ({
          indexName: i.name,
          partitionKey: { name: i.partitionKey, type: AttributeType.STRING },
          sortKey: { name: i.sortKey, type: AttributeType.STRING },
          ...projectionOf(i.projection),
        })),
      });
      new CfnOutput(this, `${pascal(name)}TableName`, { value: table.tableName });
      return table;
    });

    this.streamFailures = {};
    for (const [name, spec] of Object.entries(tables) as Array<[TableName, (typeof tables)[TableName]]>) {
      if (!spec.stream) continue;
      const failures = new FailureQueue(this, `${pascal(name)}StreamFailures`, spec.stream.onFailure);
      new CfnOutput(this, `${pascal(name)}StreamFailuresQueueName`, { value: failures.queue.queueName });
      this.streamFailures[name] = failures;
    }

    this.queues = mapRecord(queues, (name, spec) => {
      const q = new QueueWithDlq(this, `${pascal(name)}Queue`, { spec, visibilityTimeout: visibilityTimeoutFor(name) });
      new CfnOutput(this, `${pascal(name)}QueueUrl`, { value: q.queue.queueUrl });
      new CfnOutput(this, `${pascal(name)}DlqName`, { value: q.dlq.queueName });
      return q;
    });

    const accessLogs = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket receives the server access logs of the raw-mail and models buckets; logging it into itself would loop.',
    });

    this.buckets = mapRecord(buckets, (name, spec) => {
      const bucket = new Bucket(this, `${pascal(name)}Bucket`, {
        // A derived name (see bucketNameFor): one per account and region, as is SES's
        // single active receipt rule set.
        bucketName: bucketNameFor(name),
        encryption: BucketEncryption.S3_MANAGED,
        blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
        enforceSSL: true,
        versioned: spec.versioned ?? false,
        serverAccessLogsBucket: accessLogs,
        serverAccessLogsPrefix: `${name}/`,
        ...(spec.expireAfterDays !== undefined ? { lifecycleRules: [{ expiration: Duration.days(spec.expireAfterDays) }] } : {}),
        removalPolicy: RemovalPolicy.RETAIN,
      });
      new CfnOutput(this, `${pascal(name)}BucketName`, { value: bucket.bucketName });
      if (name !== 'rawMail') return bucket;
      // SES writes received mail here; only for this account's receipt rules.
      bucket.addToResourcePolicy(
        new PolicyStatement({
          effect: Effect.ALLOW,
          principals: [new ServicePrincipal('ses.amazonaws.com')],
          actions: ['s3:PutObject'],
          resources: [bucket.arnForObjects(`${RAW_MAIL_PREFIX}*`)],
          conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
        }),
      );
      return bucket;
    });

    // A customer-managed key: SNS needs one that AWS End User Messaging may use to
    // publish inbound SMS to an encrypted topic (AWS-managed keys cannot be shared).
    const topicKey = new Key(this, 'TopicKey', {
      enableKeyRotation: true,
      description: 'Switchboard: encrypts the inbound SMS topic',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Only on behalf of this account (confused-deputy guard, as AWS documents for two-way SMS).
    const smsVoice = new ServicePrincipal('sms-voice.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
    });

    this.topics = mapRecord(topics, (name, spec) => {
      const topic = new Topic(this, `${pascal(name)}Topic`, {
        displayName: spec.description,
        masterKey: topicKey,
        enforceSSL: true,
      });
      // RETAIN: the phone number's two-way SMS setting in End User Messaging points at
      // this ARN; a replaced topic would silently stop inbound SMS until someone re-points it.
      topic.applyRemovalPolicy(RemovalPolicy.RETAIN);
      // Publish on the topic and, because the topic is encrypted, GenerateDataKey*/Decrypt
      // on its key: grantPublish writes both statements, with the SourceAccount condition.
      topic.grantPublish(smsVoice);
      new CfnOutput(this, `${pascal(name)}TopicArn`, { value: topic.topicArn });
      return topic;
    });
  }
}

const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function mapRecord<K extends string, V, R>(record: Record<K, V>, fn: (key: K, value: V) => R): Record<K, R> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(k as K, v as V)])) as Record<K, R>;
}

/** The CDK projection settings of a topology index (ALL when the topology names none). */
function projectionOf(p: IndexProjection | undefined): { projectionType: ProjectionType; nonKeyAttributes?: string[] } {
  if (p === undefined || p === 'ALL') return { projectionType: ProjectionType.ALL };
  if (p === 'KEYS_ONLY') return { projectionType: ProjectionType.KEYS_ONLY };
  return { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: [...p.include] };
}
