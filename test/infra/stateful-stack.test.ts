import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { RAW_MAIL_PREFIX, buckets, queues, tables } from '../../infra/topology';
import { synthApp } from './app';

// The stateful stack holds no code, so esbuild is skipped for this file.
const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

let stateful: Template;

beforeAll(() => {
  ({ stateful } = synthApp(NO_BUNDLING));
});

type Res = { Properties: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string };
const byType = (t: Template, type: string) => Object.values(t.findResources(type)) as Res[];

describe('tables', () => {
  it('are on demand, with PITR, KMS encryption, deletion protection and RETAIN', () => {
    const found = byType(stateful, 'AWS::DynamoDB::GlobalTable');
    expect(found).toHaveLength(Object.keys(tables).length);
    for (const t of found) {
      expect(t.Properties.BillingMode).toBe('PAY_PER_REQUEST');
      expect(t.Properties.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
      expect(t.Properties.Replicas[0].PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled).toBe(true);
      expect(t.Properties.Replicas[0].DeletionProtectionEnabled).toBe(true);
      expect(t).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    }
  });

  it('have the topology keys, GSIs (with their projections) and TTL attribute', () => {
    const found = byType(stateful, 'AWS::DynamoDB::GlobalTable').map((t) => t.Properties);
    for (const spec of Object.values(tables)) {
      const t = found.find((p) => p.GlobalSecondaryIndexes.length === spec.indexes.length)!;
      expect(t.KeySchema).toEqual([
        { AttributeName: spec.partitionKey, KeyType: 'HASH' },
        { AttributeName: spec.sortKey, KeyType: 'RANGE' },
      ]);
      expect(t.GlobalSecondaryIndexes).toEqual(
        spec.indexes.map((i) => ({
          IndexName: i.name,
          KeySchema: [
            { AttributeName: i.partitionKey, KeyType: 'HASH' },
            { AttributeName: i.sortKey, KeyType: 'RANGE' },
          ],
          Projection:
            i.projection === undefined || typeof i.projection === 'string'
              ? { ProjectionType: i.projection ?? 'ALL' }
              : { ProjectionType: 'INCLUDE', NonKeyAttributes: [...i.projection.include] },
        })),
      );
      expect(t.TimeToLiveSpecification).toEqual(
        spec.ttlAttribute ? { AttributeName: spec.ttlAttribute, Enabled: true } : undefined,
      );
    }
  });

  it('give the crm table a NEW_IMAGE stream (the inbound pipeline\'s outbox), the reporting table none', () => {
    const found = byType(stateful, 'AWS::DynamoDB::GlobalTable').map((t) => t.Properties);
    const crm = found.find((p) => p.GlobalSecondaryIndexes.length === tables.crm.indexes.length)!;
    const reporting = found.find((p) => p !== crm)!;
    expect(crm.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
    expect(reporting.StreamSpecification).toBeUndefined();
  });

  it('follow the switchboard:deletionProtection context', () => {
    const { stateful: off } = synthApp({ ...NO_BUNDLING, 'switchboard:deletionProtection': false });
    for (const t of byType(off, 'AWS::DynamoDB::GlobalTable')) expect(t.Properties.Replicas[0].DeletionProtectionEnabled).toBe(false);
  });
});

describe('queues', () => {
  // The stream's on-failure queue is tested on its own below.
  const work = () => Object.entries(stateful.findResources('AWS::SQS::Queue')).filter(([id]) => !id.startsWith('CrmStreamFailures'));
  const all = () => work().map(([, q]) => q as Res);

  it('each have a DLQ with the topology maxReceiveCount, SSE and a 6 x consumer visibility timeout', () => {
    const main = all().filter((q) => q.Properties.RedrivePolicy);
    expect(main).toHaveLength(Object.keys(queues).length);
    const dlqIds = work()
      .filter(([, q]) => !q.Properties.RedrivePolicy)
      .map(([id]) => id);
    // Each queue has its own DLQ: two queues, two distinct targets.
    const targets = main.map((q) => q.Properties.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0] as string);
    expect(new Set(targets)).toEqual(new Set(dlqIds));
    for (const q of main) {
      expect(q.Properties.RedrivePolicy.maxReceiveCount).toBe(5);
      expect(q.Properties.SqsManagedSseEnabled).toBe(true);
    }
    // routing -> route (30 s), outbound -> deliver (30 s). No inbound queue: the crm stream feeds classify.
    expect(main.map((q) => q.Properties.VisibilityTimeout)).toEqual([180, 180]);
    expect(Object.keys(queues)).not.toContain('inbound');
    const dlqs = all().filter((q) => !q.Properties.RedrivePolicy);
    expect(dlqs).toHaveLength(Object.keys(queues).length);
    for (const d of dlqs) expect(d.Properties).toMatchObject({ MessageRetentionPeriod: 14 * 86_400, SqsManagedSseEnabled: true });
  });

  it('retain DLQs (failed messages kept for a redrive) and let work queues go with the stack', () => {
    for (const q of all()) {
      const expected = q.Properties.RedrivePolicy ? 'Delete' : 'Retain';
      expect(q).toMatchObject({ DeletionPolicy: expected, UpdateReplacePolicy: expected });
    }
  });

  it('deny non-TLS access to every queue, DLQs included', () => {
    const policies = byType(stateful, 'AWS::SQS::QueuePolicy');
    expect(policies).toHaveLength(2 * Object.keys(queues).length + 1); // + the stream's on-failure queue
    for (const p of policies) {
      expect(p.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it('alarm on a DLQ holding one message, with the topology whatBreaks as the description', () => {
    const alarms = byType(stateful, 'AWS::CloudWatch::Alarm').map((a) => a.Properties);
    const expected = [...Object.values(queues).map((q) => q.whatBreaks), tables.crm.stream!.onFailure.whatBreaks];
    expect(alarms.map((a) => a.AlarmDescription).sort()).toEqual(expected.sort());
    for (const a of alarms) {
      expect(a).toMatchObject({
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Namespace: 'AWS/SQS',
        Statistic: 'Maximum',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      });
    }
  });
});

describe("the crm stream's on-failure queue", () => {
  it('is encrypted, retained, kept 14 days and alarmed on one message like a DLQ', () => {
    const found = Object.entries(stateful.findResources('AWS::SQS::Queue')).filter(([id]) => id.startsWith('CrmStreamFailures')) as Array<[string, Res]>;
    expect(found).toHaveLength(1);
    const [id, q] = found[0]!;
    expect(q.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: tables.crm.stream!.onFailure.retentionDays * 86_400 });
    expect(q.Properties.RedrivePolicy).toBeUndefined();
    expect(q).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    stateful.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: tables.crm.stream!.onFailure.whatBreaks,
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [id, 'QueueName'] } }],
      Threshold: 0,
    });
    stateful.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: id }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });
});

describe('raw-mail bucket and SMS topic', () => {
  it('keeps raw mail private, encrypted, TLS-only, logged and expiring', () => {
    stateful.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: Match.anyValue(),
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: buckets.rawMail.expireAfterDays })] },
      LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 'rawMail/' },
    });
    // Log delivery by bucket policy: no legacy ACL anywhere.
    for (const b of byType(stateful, 'AWS::S3::Bucket')) expect(b.Properties.AccessControl).toBeUndefined();
  });

  it('lets SES put objects under the raw-mail prefix for this account only', () => {
    stateful.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'ses.amazonaws.com' },
            Action: 's3:PutObject',
            Resource: { 'Fn::Join': ['', [Match.anyValue(), `/${RAW_MAIL_PREFIX}*`]] },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]),
      },
    });
  });

  it('encrypts the SMS topic with a rotating customer key that End User Messaging may use', () => {
    stateful.hasResource('AWS::SNS::Topic', {
      Properties: { KmsMasterKeyId: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } },
      DeletionPolicy: 'Retain',
    });
    // One key statement for the service (grantPublish writes it), not a duplicate.
    const [key] = byType(stateful, 'AWS::KMS::Key');
    const forSmsVoice = key!.Properties.KeyPolicy.Statement.filter(
      (st: { Principal?: { Service?: string } }) => st.Principal?.Service === 'sms-voice.amazonaws.com',
    );
    expect(forSmsVoice).toHaveLength(1);
    expect([forSmsVoice[0].Action].flat().sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
    stateful.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'sms-voice.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]),
      },
    });
    stateful.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Allow', Action: 'sns:Publish', Principal: { Service: 'sms-voice.amazonaws.com' } }),
        ]),
      },
    });
  });

  it('outputs the topic ARN, table names, queue URLs, DLQ names and the stream\'s on-failure queue', () => {
    const outputs = Object.keys(stateful.findOutputs('*'));
    expect(outputs).toEqual(
      expect.arrayContaining([
        'InboundSmsTopicArn',
        'CrmTableName',
        'ReportingTableName',
        ...['Routing', 'Outbound'].flatMap((q) => [`${q}QueueUrl`, `${q}DlqName`]),
        'CrmStreamFailuresQueueName',
      ]),
    );
    expect(outputs).not.toContain('InboundQueueUrl');
  });
});
