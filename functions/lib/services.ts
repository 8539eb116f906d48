import { orderItem } from '../../shared/adapters/customer-model-items';
import { DynamoApiKeyStore } from '../../shared/adapters/dynamo-api-key-store';
import { crmStores } from '../../shared/adapters/crm-stores';
import { DynamoCustomerStore } from '../../shared/adapters/dynamo-customer-store';
import { DynamoLabelStore } from '../../shared/adapters/dynamo-label-store';
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
export const crmStore = () => crmStores({ tableName: env(envVar.table('crm')) });
/** The crm stores for writers that also write the reporting table (routing's samples, counters of agents' changes). */
export const countingCrmStore = () => crmStores({ tableName: env(envVar.table('crm')), reportingTableName: env(envVar.table('reporting')) });
/** One aggregate's adapter, for handlers that need only it. */
export const labelStore = () => new DynamoLabelStore({ tableName: env(envVar.table('crm')) });
export const customerStore = () => new DynamoCustomerStore({ tableName: env(envVar.table('crm')) });
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
/** The crm stream's images as domain objects (classify, triggered by the stream). */
export const crmStreamImages = async () => await import('../../shared/adapters/crm-stream');
