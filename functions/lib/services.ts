import { orderItem } from '../../shared/adapters/customer-model-items';
import { DynamoApiKeyStore } from '../../shared/adapters/dynamo-api-key-store';
import { DynamoCrmStore } from '../../shared/adapters/dynamo-crm-store';
import { DynamoKnowledgeStore } from '../../shared/adapters/dynamo-knowledge-store';
import { DynamoCustomerModelStore, DynamoOrderStore } from '../../shared/adapters/dynamo-order-store';
import { DynamoOutboxStore } from '../../shared/adapters/dynamo-outbox-store';
import { DynamoReportingStore } from '../../shared/adapters/dynamo-reporting-store';
import { SqsQueue } from '../../shared/adapters/sqs-queue';
import type { Order } from '../../shared/analytics/customers/order-store';
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
export const knowledgeStore = () => new DynamoKnowledgeStore({ tableName: env(envVar.table('crm')) });
export const orderStore = () => new DynamoOrderStore({ tableName: env(envVar.table('crm')) });
/** The customer-models job's results (reporting table). */
export const customerModelStore = () => new DynamoCustomerModelStore({ tableName: env(envVar.table('reporting')) });
/** An order's size as one crm item (JSON characters), checked against the item limit before an import. */
export const orderItemBytes = (order: Order) => JSON.stringify(orderItem(order)).length;

// Async from here: each loads an SDK client only one or two functions use. esbuild keeps every
// SDK import this file makes statically in every bundle, and a dynamic one only where called.
export const rawMailStore = async () => new (await import('../../shared/adapters/s3-raw-mail')).S3RawMail({ bucket: env(envVar.bucket('rawMail')) });
/** Promoted support models (the models bucket). */
export const modelStore = async () => new (await import('../../shared/adapters/s3-model-store')).S3ModelStore({ bucket: env(envVar.bucket('models')) });
export const comprehendSentiment = async () => new (await import('../../shared/adapters/comprehend-sentiment')).ComprehendSentiment();
export const emailSender = async (opts: { configurationSetName?: string }) =>
  new (await import('../../shared/adapters/ses-email-sender')).SesEmailSender(opts);
export const smsSender = async () => new (await import('../../shared/adapters/sms-sender')).EndUserMessagingSmsSender();
