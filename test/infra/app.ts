import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildStacks } from '../../infra/stacks';

/**
 * The app as `cdk synth` builds it: same stacks, same cdk.json context, plus any
 * `overrides` (e.g. `'aws:cdk:bundling-stacks': []` to skip esbuild when a test only
 * looks at wiring).
 */
export function synthApp(overrides: Record<string, unknown> = {}) {
  const context = JSON.parse(readFileSync('cdk.json', 'utf8')).context as Record<string, unknown>;
  const app = new App({ context: { ...context, ...overrides } });
  const stacks = buildStacks(app);
  return {
    app,
    ...stacks,
    stateful: Template.fromStack(stacks.stateful),
    stateless: Template.fromStack(stacks.stateless),
  };
}
