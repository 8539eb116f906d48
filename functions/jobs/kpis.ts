import type { ScheduledEvent } from 'aws-lambda';
import * as z from 'zod';
import { runKpiJob, type KpiJobResult } from '../../shared/analytics/kpi-job';
import { readConfig } from '../lib/config';
import { logger } from '../lib/logger';
import { crmStore, reportingStore } from '../lib/services';
import { timeZoneSchema } from '../lib/time-zone';

const config = readConfig({
  REPORTING_TIME_ZONE: timeZoneSchema,
  KPI_LOOKBACK_DAYS: z.coerce.number().int().min(1).max(400).default(35),
});
const store = reportingStore();
const crm = crmStore();

/** Scheduled: rolls up routing's counts of closed hours, then recomputes the KPI rows of the recent periods. */
export const handler = async (event: Partial<ScheduledEvent>): Promise<KpiJobResult> => {
  const now = event.time ? new Date(event.time) : new Date();
  const result = await runKpiJob(store, now, { timeZone: config.REPORTING_TIME_ZONE, lookbackDays: config.KPI_LOOKBACK_DAYS }, crm);
  logger.info('kpi rows computed', { ...result, dimensions: result.dimensions.length });
  return result;
};
