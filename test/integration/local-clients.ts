import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../shared/adapters/dynamo-client';
import { randomUUID } from 'node:crypto';
import { ensureTable, type LocalEnv } from '../../infra/local/resources';
import { tables } from '../../infra/topology';

/** A document client on the run's DynamoDB Local (the globalSetup's endpoint), dummy credentials. */
export function localDocumentClient(env: LocalEnv): DynamoDBDocumentClient {
  return createDocumentClient(
    new DynamoDBClient({ endpoint: env.AWS_ENDPOINT_URL_DYNAMODB, region: env.AWS_REGION, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
  );
}

/**
 * A crm and a reporting table of the topology's layout made for one test file, on the run's
 * DynamoDB Local: state that is global to a table (the all-time totals, the rollup's last hour)
 * then belongs to that file alone.
 */
export async function ownTables(env: LocalEnv): Promise<{ crm: string; reporting: string }> {
  const dynamo = new DynamoDBClient({ endpoint: env.AWS_ENDPOINT_URL_DYNAMODB, region: env.AWS_REGION, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const suffix = randomUUID().slice(0, 8);
  try {
    const names = { crm: `crm-${suffix}`, reporting: `reporting-${suffix}` };
    await ensureTable(dynamo, names.crm, tables.crm);
    await ensureTable(dynamo, names.reporting, tables.reporting);
    return names;
  } finally {
    dynamo.destroy();
  }
}
