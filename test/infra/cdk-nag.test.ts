import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { VALIDATION_REPORT_FILE } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthApp } from './app';

interface Report {
  pluginReports: Array<{
    pluginName: string;
    violations: Array<{ ruleName: string; severity: string; violatingConstructs?: Array<{ constructPath: string }> }>;
  }>;
}

/**
 * Registers AwsSolutions on the app as infra/app.ts does, synthesises once and
 * returns the pack's findings from the validation report. Any unacknowledged
 * finding, error or warning, makes synth throw (in-memory app mode under a test
 * runner); the report and a direct walk are read as well so that a change in that
 * behaviour cannot let a finding through silently.
 */
function synthWithNag(app: App): { reported: string[]; direct: string[] } {
  const nag = new AwsSolutionsChecks(app);
  Validations.of(app).addPlugins(nag);
  const assembly = app.synth();
  const report = JSON.parse(readFileSync(join(assembly.directory, VALIDATION_REPORT_FILE), 'utf8')) as Report;
  const reported = report.pluginReports
    .filter((p) => p.pluginName === nag.name)
    .flatMap((p) => p.violations.map((v) => `${v.severity} ${v.ruleName} at ${(v.violatingConstructs ?? []).map((c) => c.constructPath).join(', ')}`));
  // The same pack walked directly over the synthesised tree: independent of the
  // report's layout, so a format change cannot turn this test vacuous.
  const direct = nag
    .validateScope(app)
    .violations.map((v) => `${v.severity} ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
  return { reported, direct };
}

let findings: { reported: string[]; direct: string[] };

beforeAll(() => {
  findings = synthWithNag(synthApp().app);
});

describe('cdk-nag AwsSolutions', () => {
  it('leaves no unacknowledged error or warning in either stack', () => {
    expect(findings.reported).toEqual([]);
    expect(findings.direct).toEqual([]);
  });

  it('is live for errors: a queue without a DLQ fails synth with AwsSolutions-SQS3', () => {
    const app = new App();
    new Queue(new Stack(app, 'Bad'), 'NoDlq');
    expect(() => synthWithNag(app)).toThrow(/AwsSolutions-SQS3/);
  });

  it('is live for warnings: a table without point-in-time recovery (a warning-level rule) fails synth too', () => {
    // cdk-nag marks its report unsuccessful on any unacknowledged finding, warnings included.
    const app = new App();
    new Table(new Stack(app, 'Bad'), 'NoPitr', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
    expect(() => synthWithNag(app)).toThrow(/AwsSolutions-DDB3/);
  });
});
