import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { envVar, functionList, functions, type FunctionName, type StreamTrigger } from '../../infra/topology';
import { synthApp } from './app';

let stateless: Template;
let outdir: string;

beforeAll(() => {
  // Real bundling, once: the bundle itself is checked below (asset metadata, as the
  // CLI turns it on, says where each function's bundle was staged).
  const synth = synthApp({ 'aws:cdk:enable-asset-metadata': true });
  ({ stateless } = synth);
  outdir = synth.app.outdir;
});

type Res = { Properties: Record<string, any>; Metadata?: Record<string, any> };
const byType = (t: Template, type: string) => Object.entries(t.findResources(type)) as Array<[string, Res]>;
/** The one resource of a type, as [logicalId, resource]. */
function only(type: string): [string, Res] {
  const found = byType(stateless, type);
  expect(found, type).toHaveLength(1);
  return found[0]!;
}

/** The function whose description is the topology's (descriptions are unique). */
function fnOf(name: FunctionName): [string, Res] {
  const found = byType(stateless, 'AWS::Lambda::Function').find(([, f]) => f.Properties.Description === functions[name].description);
  if (!found) throw new Error(`no function ${name}`);
  return found;
}
const fnProps = (name: FunctionName) => fnOf(name)[1].Properties;

/** Statements of the inline policies attached to a function's role. */
function policyOf(name: FunctionName) {
  const role = fnProps(name).Role['Fn::GetAtt'][0] as string;
  return byType(stateless, 'AWS::IAM::Policy')
    .filter(([, p]) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === role))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>);
}
const actionsOf = (name: FunctionName) => policyOf(name).flatMap((s) => [s.Action].flat());

describe('functions', () => {
  it('run on Node.js 24, arm64, with the topology memory, timeout and description', () => {
    for (const [name, spec] of functionList()) {
      expect(fnProps(name)).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        MemorySize: spec.memoryMb,
        Timeout: spec.timeoutSeconds,
        Handler: 'index.handler',
      });
    }
  });

  it('carry the house env and log to their own one-month log group', () => {
    for (const [name] of functionList()) {
      const p = fnProps(name);
      expect(p.Environment.Variables).toMatchObject({
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        POWERTOOLS_SERVICE_NAME: 'switchboard',
      });
      const logGroupId = p.LoggingConfig.LogGroup.Ref as string;
      expect(stateless.toJSON().Resources[logGroupId].Properties.RetentionInDays).toBe(30);
    }
    // No AWS managed policy (AWSLambdaBasicExecutionRole may write to any log group).
    for (const [, role] of byType(stateless, 'AWS::IAM::Role')) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('are bundled as minified ESM with the createRequire banner and a source map', () => {
    const asset = join(outdir, fnOf('chat')[1].Metadata!['aws:asset:path'] as string);
    const code = readFileSync(join(asset, 'index.mjs'), 'utf8');
    expect(code.startsWith("import { createRequire } from 'module'; const require = createRequire(import.meta.url);")).toBe(true);
    expect(code).toMatch(/export\s*\{/);
    // Minified: long lines (unminified esbuild output averages well under 80 characters).
    expect(code.length / code.split('\n').length).toBeGreaterThan(500);
    expect(existsSync(join(asset, 'index.mjs.map'))).toBe(true);
  });

  it('get exactly the env vars of their bindings', () => {
    for (const [name, spec] of functionList()) {
      const bound = [
        ...Object.keys(spec.tables ?? {}).map((t) => envVar.table(t as never)),
        ...(spec.sends ?? []).map((q) => envVar.queue(q)),
        ...Object.keys(spec.buckets ?? {}).map((b) => envVar.bucket(b as never)),
        ...(spec.comprehend ? ['SENTIMENT_ENGINE'] : []),
        // Settings only when the context sets them: the default synth sets none.
      ];
      const vars = Object.keys(fnProps(name).Environment.Variables).filter((v) => !/^(NODE_OPTIONS|POWERTOOLS_)/.test(v));
      expect(vars.sort(), name).toEqual(bound.sort());
    }
  });

  it('get least privilege: classify only the crm stream, reports read-only, no wildcard actions', () => {
    // classify reads no table: the stream's records carry the message (the event source's grant).
    expect(actionsOf('classify').filter((a) => a.startsWith('dynamodb:')).sort()).toEqual(['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams']);
    expect(JSON.stringify(policyOf('classify').filter((s) => [s.Action].flat().some((a) => a.startsWith('dynamodb:'))).map((s) => s.Resource))).toMatch(/CrmTable\w*StreamArn/);
    expect(actionsOf('classify')).toContain('sqs:SendMessage');

    const reports = actionsOf('reports');
    expect(reports).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:GetItem']));
    expect(reports.filter((a) => /^dynamodb:.*(Put|Update|Delete|Write)/.test(a))).toEqual([]);
    expect(JSON.stringify(policyOf('reports').map((s) => s.Resource))).not.toMatch(/CrmTable|crm/i);
    expect(actionsOf('tickets').filter((a) => a.startsWith('s3:'))).toEqual([]);
    // Only the deliver function sends mail and texts.
    for (const [name] of functionList()) {
      const sends = actionsOf(name).filter((a) => a === 'ses:SendEmail' || a === 'sms-voice:SendTextMessage');
      expect(sends).toEqual(name === 'deliver' ? ['ses:SendEmail', 'sms-voice:SendTextMessage'] : []);
    }
    expect(actionsOf('authorizer').filter((a) => /^dynamodb:.*(Put|Update|Delete|Write)/.test(a))).toEqual([]);

    expect(actionsOf('route')).toEqual(expect.arrayContaining(['dynamodb:UpdateItem', 'dynamodb:PutItem']));
    expect(actionsOf('email')).toContain('s3:GetObject');
    expect(actionsOf('email')).not.toContain('s3:PutObject');
    for (const [name] of functionList()) for (const a of actionsOf(name)) expect(a).not.toContain('*');
  });

  it('name each table index in grants instead of index/*', () => {
    const resources = JSON.stringify(policyOf('route').map((s) => s.Resource));
    for (const i of ['gsi1', 'gsi2', 'gsi3']) expect(resources).toContain(`/index/${i}`);
    expect(resources).not.toContain('/index/*');
  });
});

describe('HTTP API', () => {
  const routes = () => byType(stateless, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties);

  it('serves every topology route; role routes use the authorizer, public ones none', () => {
    const expected = functionList().flatMap(([, s]) => (s.trigger.kind === 'http' ? s.trigger.routes : []));
    expect(routes().map((r) => r.RouteKey).sort()).toEqual(expected.map((r) => `${r.method} ${r.path}`).sort());
    const [authorizerId] = only('AWS::ApiGatewayV2::Authorizer');
    for (const r of expected) {
      const route = routes().find((x) => x.RouteKey === `${r.method} ${r.path}`)!;
      if (r.auth === 'public') expect(route.AuthorizationType).toBe('NONE');
      else expect(route).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: authorizerId } });
    }
  });

  it('has one simple-response authorizer keyed on the header and the route key, cached 60 s', () => {
    stateless.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    const [authorizerFn] = fnOf('authorizer');
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
      IdentitySource: ['$request.header.Authorization', '$context.routeKey'],
      AuthorizerResultTtlInSeconds: 60,
    });
    expect(JSON.stringify(stateless.findResources('AWS::ApiGatewayV2::Authorizer'))).toContain(authorizerFn);
  });

  it('logs JSON access logs and throttles on the $default stage, and allows any origin (chat widget)', () => {
    const [, stage] = only('AWS::ApiGatewayV2::Stage');
    expect(stage.Properties).toMatchObject({ StageName: '$default', AutoDeploy: true, DefaultRouteSettings: { ThrottlingRateLimit: 1000, ThrottlingBurstLimit: 500 } });
    const format = JSON.parse(stage.Properties.AccessLogSettings.Format as string);
    expect(Object.keys(format)).toEqual(expect.arrayContaining(['requestId', 'ip', 'routeKey', 'status', 'latencyMs']));
    const [, logGroup] = byType(stateless, 'AWS::Logs::LogGroup').find(([id]) => id === stage.Properties.AccessLogSettings.DestinationArn['Fn::GetAtt'][0])!;
    expect(logGroup).toMatchObject({ DeletionPolicy: 'Retain', Properties: { RetentionInDays: 90 } });
    // CORS is API-wide in an HTTP API: only what the chat widget sends, no credentials.
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: { AllowOrigins: ['*'], AllowMethods: ['GET', 'POST'], AllowHeaders: ['content-type'], MaxAge: 3600 },
    });
    expect(Object.keys(stateless.findOutputs('ApiUrl'))).toHaveLength(1);
  });
});

describe('triggers', () => {
  it('stores mail in S3 before invoking the email function (Event), with scanning on', () => {
    const [emailFn] = fnOf('email');
    stateless.hasResourceProperties('AWS::SES::ReceiptRule', {
      Rule: Match.objectLike({
        ScanEnabled: true,
        Recipients: Match.absent(),
        Actions: [
          { S3Action: Match.objectLike({ ObjectKeyPrefix: 'inbound/' }) },
          { LambdaAction: { FunctionArn: { 'Fn::GetAtt': [emailFn, 'Arn'] }, InvocationType: 'Event' } },
        ],
      }),
    });
    expect(Object.keys(stateless.findOutputs('MailReceiptRuleSetName'))).toHaveLength(1);
  });

  it('wires queues with batch settings and partial batch failures', () => {
    const mappings = byType(stateless, 'AWS::Lambda::EventSourceMapping').map(([, m]) => m.Properties);
    const consumers = functionList().filter(([, s]) => s.trigger.kind === 'queue');
    expect(mappings).toHaveLength(consumers.length + functionList().filter(([, s]) => s.trigger.kind === 'stream').length);
    for (const [name, spec] of consumers) {
      const t = spec.trigger as { batchSize: number; maxBatchingWindowSeconds: number };
      expect(mappings).toContainEqual(
        expect.objectContaining({
          FunctionName: { Ref: fnOf(name)[0] },
          BatchSize: t.batchSize,
          MaximumBatchingWindowInSeconds: t.maxBatchingWindowSeconds,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
        }),
      );
    }
  });

  it("triggers classify from the crm table's stream: the topology's filter, partial failures, bisect, retries, an on-failure queue", () => {
    const t = functions.classify.trigger as StreamTrigger;
    const [mapping, ...others] = byType(stateless, 'AWS::Lambda::EventSourceMapping')
      .map(([, m]) => m.Properties)
      .filter((m) => JSON.stringify(m.EventSourceArn).includes('StreamArn'));
    expect(others).toEqual([]);
    expect(mapping).toMatchObject({
      FunctionName: { Ref: fnOf('classify')[0] },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: t.batchSize,
      MaximumBatchingWindowInSeconds: t.maxBatchingWindowSeconds,
      MaximumRetryAttempts: t.retryAttempts,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(JSON.stringify(mapping!.EventSourceArn)).toMatch(/CrmTable\w*StreamArn/);
    expect(JSON.stringify(mapping!.DestinationConfig.OnFailure.Destination)).toMatch(/CrmStreamFailuresQueue\w*Arn/);
    expect(mapping!.FilterCriteria.Filters.map((f: { Pattern: string }) => JSON.parse(f.Pattern))).toEqual([t.filter]);
    // The filter as AWS reads it: INSERT or MODIFY of an inbound message still received, never one left to an operator.
    expect(JSON.parse(mapping!.FilterCriteria.Filters[0].Pattern)).toEqual({
      eventName: ['INSERT', 'MODIFY'],
      dynamodb: { NewImage: { direction: { S: ['inbound'] }, status: { S: ['received'] }, stuck: { BOOL: [{ exists: false }] } } },
    });
    // Lambda sends the failed batch's description there: classify may send to it.
    expect(JSON.stringify(policyOf('classify').filter((s) => [s.Action].flat().includes('sqs:SendMessage')).map((s) => s.Resource))).toMatch(/CrmStreamFailuresQueue/);
  });

  it('sends to no inbound queue any more: intake only stores', () => {
    for (const name of ['chat', 'email', 'sms', 'sweeper'] as const) {
      expect(Object.keys(fnProps(name).Environment.Variables)).not.toContain('INBOUND_QUEUE_URL');
    }
    expect(actionsOf('chat').filter((a) => a.startsWith('sqs:'))).toEqual([]);
  });

  it('subscribes the sms function to the inbound SMS topic', () => {
    stateless.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      Endpoint: { 'Fn::GetAtt': [fnOf('sms')[0], 'Arn'] },
    });
  });

  it('runs each job on its schedule with a role that may invoke only that function (the sweeper shown)', () => {
    const [sweeper] = fnOf('sweeper');
    stateless.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(5 minutes)',
      Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [sweeper, 'Arn'] } }),
    });
    const [, schedule] = byType(stateless, 'AWS::Scheduler::Schedule').find(
      ([, s]) => s.Properties.Target.Arn['Fn::GetAtt'][0] === sweeper,
    )!;
    const roleId = schedule.Properties.Target.RoleArn['Fn::GetAtt'][0] as string;
    const statements = byType(stateless, 'AWS::IAM::Policy')
      .filter(([, p]) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    expect(statements).toEqual([{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [sweeper, 'Arn'] } }]);
  });

  it('limits the SES rule to the mail domain when the context names one', () => {
    const { stateless: withDomain } = synthApp({ 'switchboard:mailDomain': 'support.example.com', 'aws:cdk:bundling-stacks': [] });
    withDomain.hasResourceProperties('AWS::SES::ReceiptRule', { Rule: Match.objectLike({ Recipients: ['support.example.com'] }) });
  });
});

describe('sentiment engine context', () => {
  it('keeps classify off Comprehend by default, and grants only the detect calls when hybrid', () => {
    const comprehendStatements = (t: Template) =>
      byType(t, 'AWS::IAM::Policy')
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Array<{ Action: unknown }>)
        .filter((st) => JSON.stringify(st.Action).includes('comprehend:'));
    expect(comprehendStatements(stateless)).toEqual([]);
    const { stateless: hybrid } = synthApp({ 'switchboard:sentimentEngine': 'hybrid', 'aws:cdk:bundling-stacks': [] });
    expect(comprehendStatements(hybrid)).toEqual([
      { Effect: 'Allow', Action: ['comprehend:DetectSentiment', 'comprehend:BatchDetectSentiment', 'comprehend:DetectDominantLanguage'], Resource: '*' },
    ]);
    hybrid.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^Classifies'),
      Environment: { Variables: Match.objectLike({ SENTIMENT_ENGINE: 'hybrid' }) },
    });
  });
});

describe('deployment settings', () => {
  it('passes the time zone and holiday calendar from the context to the jobs that read them', () => {
    const { stateless: set } = synthApp({ 'switchboard:timeZone': 'America/Vancouver', 'switchboard:holidayCountry': 'CA', 'aws:cdk:bundling-stacks': [] });
    set.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^Forecasts inbound volume'),
      Environment: { Variables: Match.objectLike({ REPORTING_TIME_ZONE: 'America/Vancouver', FORECAST_COUNTRY: 'CA' }) },
    });
    set.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^Rolls up routed messages'),
      Environment: { Variables: Match.objectLike({ REPORTING_TIME_ZONE: 'America/Vancouver' }) },
    });
  });
});
