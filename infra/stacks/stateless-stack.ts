import { CfnOutput, Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { CorsHttpMethod, HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { SqsEventSource, SnsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { ReceiptRuleSet } from 'aws-cdk-lib/aws-ses';
import { Lambda as SesLambda, LambdaInvocationType, S3 as SesS3 } from 'aws-cdk-lib/aws-ses-actions';
import type { Construct } from 'constructs';
import { SwitchboardFunction } from '../constructs/switchboard-function';
import { RAW_MAIL_PREFIX, functionList, type FunctionName, type QueueName, type TableName, type BucketName } from '../topology';
import { bucketNameFor } from '../constructs/names';
import type { StatefulResources } from './stateful-stack';
import { Bucket } from 'aws-cdk-lib/aws-s3';

export interface StatelessStackProps extends StackProps {
  stateful: StatefulResources;
}

/**
 * Code and wiring: one function per topology entry through the house construct,
 * its bindings and trigger, the HTTP API with the key authorizer, the SES receipt
 * rule and the schedules. Safe to redeploy at any time: it holds no data.
 */
export class StatelessStack extends Stack {
  readonly functions: Record<FunctionName, SwitchboardFunction>;
  readonly api: HttpApi;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { stateful } = props;
    // By name, not by cross-stack export: see bucketNameFor.
    const buckets = { rawMail: Bucket.fromBucketName(this, 'RawMailBucket', bucketNameFor('rawMail')) };

    this.functions = Object.fromEntries(
      functionList().map(([name, spec]) => {
        const f = new SwitchboardFunction(this, `${name}Function`, { name, spec });
        for (const [t, access] of Object.entries(spec.tables ?? {})) f.bindTable(t as TableName, stateful.tables[t as TableName], access);
        for (const q of spec.sends ?? []) f.bindQueue(q, stateful.queues[q].queue);
        for (const [b, access] of Object.entries(spec.buckets ?? {})) f.bindBucket(b as BucketName, buckets[b as BucketName], access);
        return [name, f];
      }),
    ) as Record<FunctionName, SwitchboardFunction>;

    const accessLogs = new LogGroup(this, 'ApiAccessLogs', { retention: RetentionDays.THREE_MONTHS });
    this.api = new HttpApi(this, 'Api', {
      description: 'Switchboard HTTP API',
      // The chat widget is embedded on customers' own sites, so any origin may call the public routes.
      corsPreflight: {
        allowOrigins: ['*'],
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.OPTIONS],
        allowHeaders: ['content-type', 'authorization'],
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
            status: '$context.status',
            latencyMs: '$context.responseLatency',
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
            new SqsEventSource(stateful.queues[t.queue as QueueName].queue, {
              batchSize: t.batchSize,
              maxBatchingWindow: Duration.seconds(t.maxBatchingWindowSeconds),
              reportBatchItemFailures: true,
            }),
          );
          break;
        case 'schedule':
        {
          const role = new Role(this, `${name}ScheduleRole`, { assumedBy: new ServicePrincipal('scheduler.amazonaws.com') });
          new Schedule(this, `${name}Schedule`, {
            schedule: ScheduleExpression.expression(t.expression),
            target: new LambdaInvoke(f, { role, retryAttempts: 2 }),
            description: spec.description,
          });
          const fnLogicalId = Stack.of(f).getLogicalId(f.node.defaultChild as CfnFunction);
          Validations.of(role).acknowledge({
            id: `AwsSolutions-IAM5[Resource::<${fnLogicalId}.Arn>:*]`,
            reason: 'lambda:InvokeFunction on this one function, its versions and aliases (`<arn>:*`), as grantInvoke writes it.',
          });
        }
          break;
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
