import type { ScheduledEvent } from 'aws-lambda';
import * as z from 'zod';
import { runCustomerModelsJob, type CustomerModelsJobResult } from '../../shared/analytics/customer-models-job';
import { readConfig } from '../lib/config';
import { logger } from '../lib/logger';
import { customerModelStore, customerStore, orderStore } from '../lib/services';

const config = readConfig({
  /** Months of orders the models read (the current one included). */
  CUSTOMER_MODELS_MONTHS: z.coerce.number().int().min(1).max(36).default(13),
});
const orders = orderStore();
const results = customerModelStore();
// The linked customers' derived tiers (crm profiles).
const crm = customerStore();

/** Scheduled daily: runs the customer models on the recent orders and stores their results. */
export const handler = async (event: Partial<ScheduledEvent>): Promise<CustomerModelsJobResult> => {
  const now = event.time ? new Date(event.time) : new Date();
  const result = await runCustomerModelsJob(orders, results, now, { months: config.CUSTOMER_MODELS_MONTHS }, crm);
  if (result.status === 'ok') logger.info('customer models stored', { ...result });
  else logger.warn('customer models: nothing modelled', { ...result });
  return result;
};
