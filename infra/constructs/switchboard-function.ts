import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { resolve } from 'node:path';
import { bucketNameFor } from './names';
import { buckets, envVar, tables, type BucketName, type FunctionName, type FunctionSpec, type QueueName, type TableName } from '../topology';

const ROOT = resolve(import.meta.dirname, '../..');

// Named actions rather than grantReadData/grantReadWriteData: those add stream actions
// and `index/*`. No Scan: the single-table design queries by key. Transactions need no
// action of their own (they are authorised per Put/Update/Delete/ConditionCheck).
const TABLE_READ = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable'];
const TABLE_WRITE = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

/** Props of {@link SwitchboardFunction}. */
export interface SwitchboardFunctionProps {
  /** The function's key in the topology. */
  name: FunctionName;
  /** Its entry, memory, timeout and description, as the topology states them. */
  spec: FunctionSpec;
}

/**
 * The house Lambda function: Node.js 24 on arm64, an ESM bundle made by the local
 * esbuild (no Docker), source maps, its own log group with retention, and a role
 * that can write only to that log group. Bindings set the env var and grant
 * exactly the access in one call.
 */
export class SwitchboardFunction extends Construct {
  /** The underlying function (for triggers, permissions and references). */
  readonly fn: NodejsFunction;

  constructor(scope: Construct, id: string, props: SwitchboardFunctionProps) {
    super(scope, id);
    const { spec } = props;
    const logGroup = new LogGroup(this, 'Logs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Our own role instead of the AWSLambdaBasicExecutionRole managed policy, which
    // may write to any log group.
    const role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    this.fn = new NodejsFunction(this, 'Fn', {
      entry: resolve(ROOT, spec.entry),
      handler: 'handler',
      description: spec.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: spec.memoryMb,
      timeout: Duration.seconds(spec.timeoutSeconds),
      logGroup,
      role,
      projectRoot: ROOT,
      depsLockFilePath: resolve(ROOT, 'package-lock.json'),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'switchboard',
        POWERTOOLS_LOG_LEVEL: 'INFO',
      },
      bundling: {
        format: OutputFormat.ESM,
        minify: true,
        sourceMap: true,
        forceDockerBundling: false,
        // The Node.js 24 runtime ships AWS SDK v3; leaving it out keeps bundles small
        // (see docs/bench.md for both variants measured).
        externalModules: ['@aws-sdk/*'],
        mainFields: ['module', 'main'],
        banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
      },
    });
  }

  /**
   * Sets the table's env var and grants read or read/write on the table and its
   * indexes, each named (no wildcards): the index list comes from the topology.
   */
  bindTable(name: TableName, table: ITable, access: 'read' | 'readWrite'): void {
    this.fn.addEnvironment(envVar.table(name), table.tableName);
    this.fn.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: access === 'read' ? TABLE_READ : [...TABLE_READ, ...TABLE_WRITE],
        resources: [table.tableArn, ...tables[name].indexes.map((i) => `${table.tableArn}/index/${i.name}`)],
      }),
    );
  }

  /** Sets the queue's env var and grants sending to it. */
  bindQueue(name: QueueName, queue: IQueue): void {
    this.fn.addEnvironment(envVar.queue(name), queue.queueUrl);
    queue.grantSendMessages(this.fn);
  }

  /**
   * Chooses the sentiment engine (SENTIMENT_ENGINE) and grants the Comprehend detect
   * calls it may make. Comprehend's detect APIs have no resource-level permissions, so
   * the statement must name `*` (acknowledged below with that reason).
   */
  allowComprehend(engine: 'builtin' | 'comprehend' | 'hybrid'): void {
    this.fn.addEnvironment('SENTIMENT_ENGINE', engine);
    if (engine === 'builtin') return;
    this.fn.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['comprehend:DetectSentiment', 'comprehend:BatchDetectSentiment', 'comprehend:DetectDominantLanguage'],
        resources: ['*'],
      }),
    );
    Validations.of(this.fn.role!).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: "Comprehend's DetectSentiment, BatchDetectSentiment and DetectDominantLanguage support no resource-level permissions; only these three read-only actions are granted.",
    });
  }

  /**
   * Grants sending replies: SES `SendEmail` on the account's identities and configuration
   * sets (which verified domain the company sends from is not known at synth), and End User
   * Messaging `SendTextMessage` on the account's SMS resources (numbers, pools, sender ids).
   */
  allowDelivery(channels: readonly ('email' | 'sms')[]): void {
    const stack = Stack.of(this);
    const arn = (service: string, resource: string) => stack.formatArn({ service, resource, resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
    if (channels.includes('email')) {
      const resources = [arn('ses', 'identity'), arn('ses', 'configuration-set')];
      this.fn.addToRolePolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['ses:SendEmail'], resources }));
      for (const r of ['identity', 'configuration-set']) {
        Validations.of(this.fn.role!).acknowledge({
          id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:${r}/*]`,
          reason: "Replies are sent from the company's verified SES identity, which is configured after deployment; only ses:SendEmail is granted, in this account and region.",
        });
      }
    }
    if (channels.includes('sms')) {
      this.fn.addToRolePolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['sms-voice:SendTextMessage'], resources: [stack.formatArn({ service: 'sms-voice', resource: '*' })] }));
      Validations.of(this.fn.role!).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sms-voice:<AWS::Region>:<AWS::AccountId>:*]',
        reason: 'The origination number or pool replies are sent from is the one the customer texted, known only at run time; only sms-voice:SendTextMessage is granted, in this account and region.',
      });
    }
  }

  /**
   * Sets the bucket's env var and grants getting (or also putting) its objects, plus
   * ListBucket on the bucket itself when its readers look up keys that may not exist.
   */
  bindBucket(name: BucketName, bucket: IBucket, access: 'read' | 'readWrite'): void {
    const actions = access === 'read' ? ['s3:GetObject'] : ['s3:GetObject', 's3:PutObject'];
    this.fn.addEnvironment(envVar.bucket(name), bucket.bucketName);
    this.fn.addToRolePolicy(new PolicyStatement({ effect: Effect.ALLOW, actions, resources: [bucket.arnForObjects('*')] }));
    if (buckets[name].readsMissingKeys) {
      this.fn.addToRolePolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
    }
    // The id names the exact resource string, so only this bucket's object pattern is
    // acknowledged; a bucket not named by bucketNameFor would still be flagged.
    Validations.of(this.fn.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${bucketNameFor(name, '<AWS::AccountId>', '<AWS::Region>')}/*]`,
      reason: `Object-level S3 actions need an object ARN pattern (object keys are message ids or model versions, unknown in advance); the statement names only this bucket and only ${actions.join(' and ')}.`,
    });
  }
}
