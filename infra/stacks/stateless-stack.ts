import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { CorsHttpMethod, HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SnsEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Bucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { ReceiptRuleSet } from 'aws-cdk-lib/aws-ses';
import { Lambda as SesLambda, LambdaInvocationType, S3 as SesS3 } from 'aws-cdk-lib/aws-ses-actions';
import type { Construct } from 'constructs';
import { SwitchboardFunction } from '../constructs/switchboard-function';
import { bucketNameFor } from '../constructs/names';
import { RAW_MAIL_PREFIX, functionList, settings, type BucketName, type FunctionName, type TableName } from '../topology';
import type { StatefulResources } from './stateful-stack';

/** Props of {@link StatelessStack}. */
export interface StatelessStackProps extends StackProps {
  /** Tables, queues and topics from the stateful stack (buckets are referred to by name). */
  stateful: StatefulResources;
}

/**
 * Code and wiring: one function per topology entry through the house construct,
 * its bindings and trigger, the HTTP API with the key authorizer, the SES receipt
 * rule and the schedules. Safe to redeploy at any time: it holds no data.
 */
export class StatelessStack extends Stack {
  /** One house function per topology entry. */
  readonly functions: Record<FunctionName, SwitchboardFunction>;
  /** The HTTP API serving every `http` route of the topology. */
  readonly api: HttpApi;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { stateful } = props;
    // Buckets by their derived name, not by cross-stack export: the stateful stack
    // alone writes the bucket policy (SES's S3 action would otherwise add its statement
    // from this stack), and the object ARN in a grant has a stable form that the
    // IAM5 acknowledgement in SwitchboardFunction.bindBucket can name.
    const buckets = Object.fromEntries(
      (Object.keys(stateful.buckets) as BucketName[]).map((b) => [b, Bucket.fromBucketName(this, `${b}Bucket`, bucketNameFor(b))]),
    ) as Record<BucketName, IBucket>;

    const engine = String(this.node.tryGetContext('switchboard:sentimentEngine') ?? 'builtin');
    if (!['builtin', 'comprehend', 'hybrid'].includes(engine)) {
      throw new Error(`Context switchboard:sentimentEngine must be builtin, comprehend or hybrid, got "${engine}"`);
    }
    this.functions = Object.fromEntries(
      functionList().map(([name, spec]) => {
        const f = new SwitchboardFunction(this, `${name}Function`, { name, spec });
        for (const [t, access] of Object.entries(spec.tables ?? {})) f.bindTable(t as TableName, stateful.tables[t as TableName], access);
        for (const q of spec.sends ?? []) f.bindQueue(q, stateful.queues[q].queue);
        for (const [b, access] of Object.entries(spec.buckets ?? {})) f.bindBucket(b as BucketName, buckets[b as BucketName], access);
        if (spec.comprehend) f.allowComprehend(engine as 'builtin' | 'comprehend' | 'hybrid');
        if (spec.delivers?.length) f.allowDelivery(spec.delivers);
        for (const setting of spec.settings ?? []) {
          const value = this.node.tryGetContext(settings[setting].context);
          if (value !== undefined && value !== '') f.fn.addEnvironment(settings[setting].env, String(value));
        }
        return [name, f];
      }),
    ) as Record<FunctionName, SwitchboardFunction>;

    // RETAIN: access logs are the audit trail of who called the API; they outlive a
    // redeploy or a deleted stack and expire by retention.
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.api = new HttpApi(this, 'Api', {
      description: 'Switchboard HTTP API',
      // The chat widget is embedded on customers' own sites, so any origin may call the
      // public chat routes. HTTP API CORS is API-wide, so it allows only what the widget
      // sends: GET/POST with a JSON body, no credentials. Agent and admin routes are
      // called server to server with an API key; a browser console on another origin
      // would need `authorization` added here.
      corsPreflight: {
        allowOrigins: ['*'],
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST],
        allowHeaders: ['content-type'],
        maxAge: Duration.hours(1),
      },
      createDefaultStage: false,
    });
    new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 1000, burstLimit: 500 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            time: '$context.requestTime',
            routeKey: '$context.routeKey',
            path: '$context.path',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationLatencyMs: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            keyId: '$context.authorizer.keyId',
          }),
        ),
      },
    });

    const authorizer = new HttpLambdaAuthorizer('ApiKeyAuthorizer', this.functions.authorizer.fn, {
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      // The route key is part of the cache key: the authorizer checks the role per route.
      identitySource: ['$request.header.Authorization', '$context.routeKey'],
      resultsCacheTtl: Duration.seconds(60),
    });

    for (const [name, spec] of functionList()) {
      const f = this.functions[name].fn;
      const t = spec.trigger;
      switch (t.kind) {
        case 'http': {
          const integration = new HttpLambdaIntegration(`${name}Integration`, f);
          for (const r of t.routes) {
            const routes = this.api.addRoutes({
              path: r.path,
              methods: [HttpMethod[r.method]],
              integration,
              ...(r.auth === 'public' ? {} : { authorizer }),
            });
            if (r.auth === 'public') {
              for (const route of routes) {
                Validations.of(route).acknowledge({
                  id: 'AwsSolutions-APIG4',
                  reason: 'Public web chat route for anonymous visitors: validated with zod and size-limited in the handler.',
                });
              }
            }
          }
          break;
        }
        case 'queue':
          f.addEventSource(
            new SqsEventSource(stateful.queues[t.queue].queue, {
              batchSize: t.batchSize,
              maxBatchingWindow: Duration.seconds(t.maxBatchingWindowSeconds),
              reportBatchItemFailures: true,
            }),
          );
          break;
        case 'stream': {
          const failures = stateful.streamFailures[t.table];
          if (!failures) throw new Error(`Function ${name} reads the ${t.table} table's stream, but the topology gives that table none`);
          // TRIM_HORIZON: a new mapping (first deploy, a replaced function) starts at the oldest record
          // kept (24 h), so nothing written meanwhile is skipped; consumers are idempotent.
          f.addEventSource(
            new DynamoEventSource(stateful.tables[t.table], {
              startingPosition: StartingPosition.TRIM_HORIZON,
              batchSize: t.batchSize,
              maxBatchingWindow: Duration.seconds(t.maxBatchingWindowSeconds),
              retryAttempts: t.retryAttempts,
              bisectBatchOnError: true,
              reportBatchItemFailures: true,
              onFailure: new SqsDlq(failures.queue),
              filters: [FilterCriteria.filter(t.filter as Record<string, unknown>)],
            }),
          );
          break;
        }
        case 'schedule': {
          // EventBridge Scheduler rather than a scheduled events Rule: its own retry
          // policy, time zones and flexible windows, and it is where AWS puts new
          // scheduling features. The role may invoke exactly this function: LambdaInvoke
          // would also grant `<arn>:*` (every version and alias), so it gets a view of
          // the role that ignores grants, and the one statement is written here.
          const role = new Role(this, `${name}ScheduleRole`, {
            assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
              conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
            }),
          });
          role.addToPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [f.functionArn] }));
          new Schedule(this, `${name}Schedule`, {
            schedule: ScheduleExpression.expression(t.expression),
            target: new LambdaInvoke(f, { role: role.withoutPolicyUpdates(), retryAttempts: 2 }),
            description: spec.description,
          });
          break;
        }
        case 'sns':
          f.addEventSource(new SnsEventSource(stateful.topics[t.topic]));
          break;
        case 'ses': {
          const mailDomain = String(this.node.tryGetContext('switchboard:mailDomain') ?? '');
          const ruleSet = new ReceiptRuleSet(this, 'MailRuleSet', {
            rules: [
              {
                ...(mailDomain ? { recipients: [mailDomain] } : {}),
                scanEnabled: true,
                actions: [
                  new SesS3({ bucket: buckets.rawMail, objectKeyPrefix: RAW_MAIL_PREFIX }),
                  new SesLambda({ function: f, invocationType: LambdaInvocationType.EVENT }),
                ],
              },
            ],
          });
          Validations.of(ruleSet).acknowledge({
            id: 'Annotation::@aws-cdk/s3:AddBucketPermissions',
            reason: 'The stateful stack gives SES PutObject on the raw-mail bucket (prefix inbound/, this account only).',
          });
          new CfnOutput(this, 'MailReceiptRuleSetName', { value: ruleSet.receiptRuleSetName });
          if (mailDomain) new CfnOutput(this, 'MailDomain', { value: mailDomain });
          break;
        }
        case 'authorizer':
          break;
      }
    }

    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
  }
}
