import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../shared/adapters/dynamo-client';
import type { LocalEnv } from '../../infra/local/resources';

/** A document client on the run's DynamoDB Local (the globalSetup's endpoint), dummy credentials. */
export function localDocumentClient(env: LocalEnv): DynamoDBDocumentClient {
  return createDocumentClient(
    new DynamoDBClient({ endpoint: env.AWS_ENDPOINT_URL_DYNAMODB, region: env.AWS_REGION, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
  );
}
