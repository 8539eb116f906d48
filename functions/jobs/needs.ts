import type { ScheduledEvent } from 'aws-lambda';
import * as z from 'zod';
import { runNeedsJob } from '../../shared/analytics/needs-job';
import { readConfig } from '../lib/config';
import { logger } from '../lib/logger';
import { crmStore, reportingStore } from '../lib/services';
import { timeZoneSchema } from '../lib/time-zone';

const config = readConfig({
  REPORTING_TIME_ZONE: timeZoneSchema,
  NEEDS_MAX_MESSAGES: z.coerce.number().int().min(100).max(200_000).default(20_000),
  NEEDS_TOPICS: z.coerce.number().int().min(2).max(30).default(8),
});
const store = reportingStore();
// Read only: the messages of the hours not rolled up yet.
const crm = crmStore();

/** Scheduled (daily): top terms per category × channel and topics of recent periods. */
export const handler = async (event: Partial<ScheduledEvent>) => {
  const now = event.time ? new Date(event.time) : new Date();
  const result = await runNeedsJob(store, now, { timeZone: config.REPORTING_TIME_ZONE, maxMessages: config.NEEDS_MAX_MESSAGES, topics: config.NEEDS_TOPICS }, crm);
  logger.info('need analyses computed', { result });
  return result;
};
