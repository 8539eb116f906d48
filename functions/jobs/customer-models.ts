import type { ScheduledEvent } from 'aws-lambda';
import * as z from 'zod';
import { DynamoCrmStore } from '../../shared/adapters/dynamo-crm-store';
import { DynamoCustomerModelStore, DynamoOrderStore } from '../../shared/adapters/dynamo-order-store';
import { runCustomerModelsJob, type CustomerModelsJobResult } from '../../shared/analytics/customer-models-job';
import { readConfig, required } from '../lib/config';
import { logger } from '../lib/logger';

const config = readConfig({
  CRM_TABLE: required,
  REPORTING_TABLE: required,
  /** Months of orders the models read (the current one included). */
  CUSTOMER_MODELS_MONTHS: z.coerce.number().int().min(1).max(36).default(13),
});
// Names as bound by envVar.table() in infra/topology.ts.
const orders = new DynamoOrderStore({ tableName: config.CRM_TABLE });
const results = new DynamoCustomerModelStore({ tableName: config.REPORTING_TABLE });
// The linked customers' derived tiers (crm profiles).
const crm = new DynamoCrmStore({ tableName: config.CRM_TABLE });

/** Scheduled daily: runs the customer models on the recent orders and stores their results. */
export const handler = async (event: Partial<ScheduledEvent>): Promise<CustomerModelsJobResult> => {
  const now = event.time ? new Date(event.time) : new Date();
  const result = await runCustomerModelsJob(orders, results, now, { months: config.CUSTOMER_MODELS_MONTHS }, crm);
  if (result.status === 'ok') logger.info('customer models stored', { ...result });
  else logger.warn('customer models: nothing modelled', { ...result });
  return result;
};
