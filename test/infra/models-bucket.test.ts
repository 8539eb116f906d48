import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { functions } from '../../infra/topology';
import { synthApp } from './app';

// Wiring only: esbuild is skipped.
let stateful: Template;
let stateless: Template;
beforeAll(() => {
  ({ stateful, stateless } = synthApp({ 'aws:cdk:bundling-stacks': [] }));
});

type Res = { Properties: Record<string, any> };
const joined = (v: unknown) => JSON.stringify(v) ?? '';

describe('models bucket', () => {
  it('is private, encrypted, TLS-only, versioned, logged and never expires', () => {
    const buckets = Object.values(stateful.findResources('AWS::S3::Bucket')) as Res[];
    const models = buckets.filter((b) => joined(b.Properties.BucketName).includes('switchboard-models-'));
    expect(models).toHaveLength(1);
    const p = models[0]!.Properties;
    expect(p).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { LogFilePrefix: 'models/' },
    });
    expect(p.LifecycleConfiguration).toBeUndefined();
    stateful.hasOutput('ModelsBucketName', {});
  });

  it('keeps the SES statement on the raw-mail bucket only', () => {
    const policies = Object.values(stateful.findResources('AWS::S3::BucketPolicy')) as Res[];
    const withSes = policies.filter((p) => joined(p.Properties.PolicyDocument).includes('ses.amazonaws.com'));
    expect(withSes).toHaveLength(1);
    expect(joined(withSes[0]!.Properties.Bucket)).toMatch(/RawMail/);
    const modelsPolicy = policies.find((p) => joined(p.Properties.Bucket).match(/ModelsBucket/))!;
    expect(modelsPolicy.Properties.PolicyDocument.Statement).toEqual([
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    ]);
  });

  it('is read by classify and read/written by the daily retrain job, with ListBucket for missing keys', () => {
    const fnRole = (description: string) => {
      const [, fn] = Object.entries(stateless.findResources('AWS::Lambda::Function')).find(([, f]) => f.Properties.Description === description)!;
      return { env: fn.Properties.Environment.Variables as Record<string, unknown>, role: fn.Properties.Role['Fn::GetAtt'][0] as string };
    };
    const statementsOf = (role: string) =>
      (Object.values(stateless.findResources('AWS::IAM::Policy')) as Res[])
        .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === role))
        .flatMap((p) => p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>);
    for (const [name, writes] of [['classify', false], ['retrain', true]] as const) {
      const { env, role } = fnRole(functions[name].description);
      expect(joined(env.MODELS_BUCKET)).toContain('switchboard-models-');
      const s3 = statementsOf(role).filter((s) => [s.Action].flat().some((a) => a.startsWith('s3:')));
      const actions = s3.flatMap((s) => [s.Action].flat()).sort();
      expect(actions, name).toEqual(writes ? ['s3:GetObject', 's3:ListBucket', 's3:PutObject'] : ['s3:GetObject', 's3:ListBucket']);
      const list = s3.find((s) => [s.Action].flat().includes('s3:ListBucket'))!;
      expect(joined(list.Resource)).not.toContain('/*');
    }
    stateless.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(1 day)', Target: Match.objectLike({ Arn: Match.anyValue() }) });
  });
});
