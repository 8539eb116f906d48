import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildStacks } from './stacks';

// Environment-agnostic on purpose: nothing needs a context lookup, so the template is
// the same whoever synthesises it (with or without credentials) and the account and
// region are those of the deploy. `cdk synth` works offline.
const app = new App();
buildStacks(app);
// AwsSolutions runs on every synth; an unacknowledged error fails it (acknowledgements
// sit next to the resources they cover, see docs/infrastructure.md).
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
