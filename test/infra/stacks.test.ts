import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { functions, queues, tables } from '../../infra/topology';
import { synthApp } from './app';

let stateful: Template;
let stateless: Template;

beforeAll(() => {
  ({ stateful, stateless } = synthApp());
});

type Res = { Properties: Record<string, any> };
const byType = (t: Template, type: string) => Object.values(t.findResources(type)) as Res[];

/** The function whose description is the topology's (descriptions are unique). */
function fnProps(name: keyof typeof functions) {
  const found = byType(stateless, 'AWS::Lambda::Function').find((f) => f.Properties.Description === functions[name].description);
  if (!found) throw new Error(`no function ${name}`);
  return found.Properties;
}

/** Statements of the inline policy attached to a function's role. */
function policyOf(name: keyof typeof functions) {
  const role = fnProps(name).Role['Fn::GetAtt'][0] as string;
  return byType(stateless, 'AWS::IAM::Policy')
    .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === role))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>);
}
const actionsOf = (name: keyof typeof functions) => policyOf(name).flatMap((s) => [s.Action].flat());

describe('stateful stack', () => {
  it('has both tables on demand, with PITR, encryption, deletion protection and their GSIs', () => {
    const found = byType(stateful, 'AWS::DynamoDB::GlobalTable');
    expect(found).toHaveLength(Object.keys(tables).length);
    for (const t of found) {
      expect(t.Properties.BillingMode).toBe('PAY_PER_REQUEST');
      expect(t.Properties.SSESpecification.SSEEnabled).toBe(true);
      expect(t.Properties.Replicas[0].PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled).toBe(true);
      expect(t.Properties.Replicas[0].DeletionProtectionEnabled).toBe(true);
    }
    const crm = found.find((t) => t.Properties.GlobalSecondaryIndexes.length === tables.crm.indexes.length)!;
    expect(crm.Properties.GlobalSecondaryIndexes.map((i: { IndexName: string }) => i.IndexName)).toEqual(['gsi1', 'gsi2', 'gsi3']);
    expect(crm.Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
  });

  it('gives every queue a DLQ with the topology maxReceiveCount, a visibility timeout of 6 x its consumer, and an alarm that says what breaks', () => {
    const all = byType(stateful, 'AWS::SQS::Queue');
    const main = all.filter((q) => q.Properties.RedrivePolicy);
    expect(main).toHaveLength(Object.keys(queues).length);
    for (const q of main) {
      expect(q.Properties.RedrivePolicy.maxReceiveCount).toBe(5);
      expect(q.Properties.SqsManagedSseEnabled).toBe(true);
    }
    expect(main.map((q) => q.Properties.VisibilityTimeout).sort()).toEqual([180, 180, 180]);
    const alarms = byType(stateful, 'AWS::CloudWatch::Alarm').map((a) => a.Properties.AlarmDescription as string);
    for (const spec of Object.values(queues)) expect(alarms.some((d) => d.startsWith(spec.whatBreaks))).toBe(true);
  });

  it('encrypts the SMS topic with a rotating key and keeps the raw-mail bucket private, TLS-only and expiring', () => {
    stateful.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    stateful.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    stateful.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: Match.anyValue(),
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 90 })] },
    });
  });
});

describe('stateless stack', () => {
  it('runs every function on Node.js 24, arm64, with the topology memory and timeout', () => {
    for (const [name, spec] of Object.entries(functions)) {
      const p = fnProps(name as keyof typeof functions);
      expect(p).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], MemorySize: spec.memoryMb, Timeout: spec.timeoutSeconds });
    }
  });

  it('sets env vars through bindings and grants exactly that access', () => {
    expect(Object.keys(fnProps('classify').Environment.Variables)).toContain('ROUTING_QUEUE_URL');
    expect(Object.keys(fnProps('classify').Environment.Variables)).not.toContain('CRM_TABLE');
    expect(actionsOf('classify').filter((a) => a.startsWith('dynamodb:'))).toEqual([]);
    expect(actionsOf('classify')).toContain('sqs:SendMessage');

    const tickets = actionsOf('tickets');
    expect(tickets).toContain('dynamodb:Query');
    expect(tickets.filter((a) => /^dynamodb:.*(Put|Update|Delete|Write)/.test(a))).toEqual([]);
    expect(actionsOf('tickets').filter((a) => a.startsWith('sqs:'))).toEqual([]);

    expect(actionsOf('route')).toEqual(expect.arrayContaining(['dynamodb:UpdateItem', 'dynamodb:PutItem']));
    expect(actionsOf('authorizer').filter((a) => /^dynamodb:.*(Put|Update|Delete|Write)/.test(a))).toEqual([]);
    for (const a of [...actionsOf('route'), ...actionsOf('chat')]) expect(a).not.toContain('*');
  });

  it('puts agent routes behind the key authorizer (route key in the cache key) and leaves chat routes public', () => {
    const routes = byType(stateless, 'AWS::ApiGatewayV2::Route').map((r) => r.Properties);
    const keyOf = (k: string) => routes.find((r) => r.RouteKey === k)!;
    expect(keyOf('GET /v1/tickets').AuthorizationType).toBe('CUSTOM');
    expect(keyOf('DELETE /v1/api-keys/{id}').AuthorizationType).toBe('CUSTOM');
    expect(keyOf('POST /v1/channels/chat/messages').AuthorizationType).toBe('NONE');
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      EnableSimpleResponses: true,
      IdentitySource: ['$request.header.Authorization', '$context.routeKey'],
      AuthorizerResultTtlInSeconds: 60,
    });
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('routeKey') },
    });
  });

  it('stores mail in S3 before invoking the email function, with spam and virus scanning', () => {
    stateless.hasResourceProperties('AWS::SES::ReceiptRule', {
      Rule: Match.objectLike({
        ScanEnabled: true,
        Actions: [
          { S3Action: Match.objectLike({ ObjectKeyPrefix: 'inbound/' }) },
          { LambdaAction: Match.objectLike({ InvocationType: 'Event' }) },
        ],
      }),
    });
  });

  it('wires queues with partial batch failures, the SMS topic and the sweeper schedule', () => {
    const mappings = byType(stateless, 'AWS::Lambda::EventSourceMapping').map((m) => m.Properties);
    expect(mappings).toHaveLength(2);
    for (const m of mappings) expect(m).toMatchObject({ BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    stateless.resourceCountIs('AWS::SNS::Subscription', 1);
    stateless.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(5 minutes)' });
    expect(Object.keys(stateless.findOutputs('ApiUrl'))).toHaveLength(1);
  });
});
