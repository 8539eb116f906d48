import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { synthApp } from './app';

describe('cdk-nag AwsSolutions', () => {
  it('finds nothing unacknowledged (errors or warnings) in either stack', () => {
    const { app } = synthApp();
    app.synth(); // resolves cross-stack references, as `cdk synth` does
    const report = new AwsSolutionsChecks().validateScope(app);
    const findings = report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
    expect(findings).toEqual([]);
  });

  it('would report a finding (the check is live)', async () => {
    const { App, Stack } = await import('aws-cdk-lib');
    const { Queue } = await import('aws-cdk-lib/aws-sqs');
    const app = new App();
    new Queue(new Stack(app, 'Bad'), 'NoDlq');
    expect(new AwsSolutionsChecks().validateScope(app).violations.map((v) => v.ruleName)).toContain('AwsSolutions-SQS3');
  });
});
