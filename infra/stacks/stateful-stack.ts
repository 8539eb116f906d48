import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { bucketNameFor } from '../constructs/names';
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
  type TableName,
  type TopicName,
} from '../topology';

export interface StatefulResources {
  tables: Record<TableName, TableV2>;
  queues: Record<QueueName, QueueWithDlq>;
  buckets: Record<BucketName, Bucket>;
  topics: Record<TopicName, Topic>;
}

/** Visibility timeout of a queue: six times the timeout of the function that consumes it. */
export function visibilityTimeoutFor(queue: QueueName): Duration {
  const consumer = functionList().find(([, s]) => s.trigger.kind === 'queue' && s.trigger.queue === queue);
  return Duration.seconds(6 * (consumer?.[1].timeoutSeconds ?? 30));
}

/**
 * Everything that holds data: tables, the raw-mail bucket, queues with their DLQs
 * and the inbound SMS topic. Kept apart from the functions so that redeploying
 * code can never replace a table. Data is retained when the stack is deleted.
 */
export class StatefulStack extends Stack implements StatefulResources {
  readonly tables: Record<TableName, TableV2>;
  readonly queues: Record<QueueName, QueueWithDlq>;
  readonly buckets: Record<BucketName, Bucket>;
  readonly topics: Record<TopicName, Topic>;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const deletionProtection = this.node.tryGetContext('switchboard:deletionProtection') !== false &&
      this.node.tryGetContext('switchboard:deletionProtection') !== 'false';

    this.tables = mapRecord(tables, (name, spec) => {
      const table = new TableV2(this, `${pascal(name)}Table`, {
        partitionKey: { name: spec.partitionKey, type: AttributeType.STRING },
        sortKey: { name: spec.sortKey, type: AttributeType.STRING },
        billing: Billing.onDemand(),
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        encryption: TableEncryptionV2.awsManagedKey(),
        deletionProtection,
        removalPolicy: RemovalPolicy.RETAIN,
        ...(spec.ttlAttribute ? { timeToLiveAttribute: spec.ttlAttribute } : {}),
        globalSecondaryIndexes: spec.indexes.map((i) => ({
          indexName: i.name,
          partitionKey: { name: i.partitionKey, type: AttributeType.STRING },
          sortKey: { name: i.sortKey, type: AttributeType.STRING },
        })),
      });
      new CfnOutput(this, `${pascal(name)}TableName`, { value: table.tableName });
      return table;
    });

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
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket receives the server access logs of the raw-mail bucket; logging it into itself would loop.',
    });

    this.buckets = mapRecord(buckets, (name, spec) => {
      const bucket = new Bucket(this, `${pascal(name)}Bucket`, {
        bucketName: bucketNameFor(name),
        encryption: BucketEncryption.S3_MANAGED,
        blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
        enforceSSL: true,
        versioned: false,
        serverAccessLogsBucket: accessLogs,
        serverAccessLogsPrefix: `${name}/`,
        lifecycleRules: [{ expiration: Duration.days(spec.expireAfterDays) }],
        removalPolicy: RemovalPolicy.RETAIN,
      });
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
    topicKey.grant(new ServicePrincipal('sms-voice.amazonaws.com'), 'kms:GenerateDataKey*', 'kms:Decrypt');

    this.topics = mapRecord(topics, (name, spec) => {
      const topic = new Topic(this, `${pascal(name)}Topic`, {
        displayName: spec.description,
        masterKey: topicKey,
        enforceSSL: true,
      });
      topic.grantPublish(new ServicePrincipal('sms-voice.amazonaws.com'));
      new CfnOutput(this, `${pascal(name)}TopicArn`, { value: topic.topicArn });
      return topic;
    });
  }
}

const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function mapRecord<K extends string, V, R>(record: Record<K, V>, fn: (key: K, value: V) => R): Record<K, R> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(k as K, v as V)])) as Record<K, R>;
}
