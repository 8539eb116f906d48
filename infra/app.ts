import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildStacks } from './stacks';

// Account and region come from the usual AWS environment at deploy time; synth works without them.
const app = new App();
const env = process.env.CDK_DEFAULT_ACCOUNT
  ? { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION }
  : undefined;
buildStacks(app, env ? { env } : {});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
