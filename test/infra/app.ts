import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildStacks } from '../../infra/stacks';

/** The app as `cdk synth` builds it: same stacks, same cdk.json context. */
export function synthApp() {
  const context = JSON.parse(readFileSync('cdk.json', 'utf8')).context as Record<string, unknown>;
  const app = new App({ context });
  const stacks = buildStacks(app);
  return {
    app,
    ...stacks,
    stateful: Template.fromStack(stacks.stateful),
    stateless: Template.fromStack(stacks.stateless),
  };
}
