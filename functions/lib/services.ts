import { DynamoApiKeyStore } from '../../shared/adapters/dynamo-api-key-store';
import { DynamoCrmStore } from '../../shared/adapters/dynamo-crm-store';
import { DynamoOutboxStore } from '../../shared/adapters/dynamo-outbox-store';
import { DynamoReportingStore } from '../../shared/adapters/dynamo-reporting-store';
import { SqsQueue } from '../../shared/adapters/sqs-queue';
import { envVar, type QueueName } from '../../infra/topology';
import { readConfig, required } from './config';

const env = (name: string): string => readConfig({ [name]: required })[name] as string;

/** Adapters over the bound resources, built once per container from validated env. */
export const crmStore = () => new DynamoCrmStore({ tableName: env(envVar.table('crm')) });
/** The crm store for writers whose transactions also add reporting counters (route, ticket updates). */
export const countingCrmStore = () =>
  new DynamoCrmStore({ tableName: env(envVar.table('crm')), reportingTableName: env(envVar.table('reporting')) });
export const reportingStore = () => new DynamoReportingStore({ tableName: env(envVar.table('reporting')) });
/** Reply items' deliveries (the deliver function and the sweeper). */
export const outboxStore = () => new DynamoOutboxStore({ tableName: env(envVar.table('crm')) });
export const apiKeyStore = () => new DynamoApiKeyStore({ tableName: env(envVar.table('crm')) });
export const queue = (name: QueueName) => new SqsQueue({ queueUrl: env(envVar.queue(name)) });
