import { parseArgs } from 'node:util';
import { DynamoApiKeyStore } from '../shared/adapters/dynamo-api-key-store';
import { createApiKey } from '../shared/auth/api-keys';
import { ROLES, type Role } from '../shared/domain/roles';

export const createApiKeyUsage = `Usage: switchboard create-api-key --table CRM_TABLE [--role admin|agent|integration] [--name NAME]

Creates an API key straight in a deployed crm table (the first admin key after
\`cdk deploy\`; later keys are made through POST /v1/api-keys). Uses the usual
AWS credentials and region (AWS_PROFILE, AWS_REGION). Prints the secret once.

  --table NAME   the crm table (stack output CrmTableName)
  --role ROLE    default admin
  --name NAME    default "bootstrap admin"`;

/** `switchboard create-api-key`: returns the exit code; bad options → 2 with a message. */
export async function createApiKeyCommand(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      options: {
        table: { type: 'string' },
        role: { type: 'string', default: 'admin' },
        name: { type: 'string', default: 'bootstrap admin' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${createApiKeyUsage}`);
    return 2;
  }
  if (values.help) return console.log(createApiKeyUsage), 0;
  if (!values.table) return console.error(`--table is required.\n\n${createApiKeyUsage}`), 2;
  if (!ROLES.includes(values.role as Role)) return console.error(`--role must be one of ${ROLES.join(', ')}.`), 2;
  const { apiKey, secret } = await createApiKey(
    new DynamoApiKeyStore({ tableName: values.table }),
    { role: values.role as Role, name: values.name },
    new Date(),
  );
  console.log(`Created ${apiKey.role} key ${apiKey.id} ("${apiKey.name}").\nSecret (shown once): ${secret}`);
  return 0;
}
