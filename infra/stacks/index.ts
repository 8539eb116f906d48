import type { App, StackProps } from 'aws-cdk-lib';
import { StatefulStack } from './stateful-stack';
import { StatelessStack } from './stateless-stack';

/** Builds both Switchboard stacks into an app (the CDK entry and the tests share this). */
export function buildStacks(app: App, props: StackProps = {}): { stateful: StatefulStack; stateless: StatelessStack } {
  const stateful = new StatefulStack(app, 'Switchboard-Stateful', {
    ...props,
    description: 'Switchboard data: tables, raw-mail bucket, queues with DLQs, inbound SMS topic',
  });
  const stateless = new StatelessStack(app, 'Switchboard-Stateless', {
    ...props,
    description: 'Switchboard code: functions, HTTP API, SES receipt rule, schedules',
    stateful,
  });
  return { stateful, stateless };
}
