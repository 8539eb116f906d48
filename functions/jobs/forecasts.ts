import type { ScheduledEvent } from 'aws-lambda';
import * as z from 'zod';
import { runForecastJob, type ForecastJobOutcome } from '../../shared/analytics/forecast-job';
import { readConfig } from '../lib/config';
import { logger } from '../lib/logger';
import { reportingStore } from '../lib/services';
import { timeZoneSchema } from '../lib/time-zone';

const config = readConfig({
  REPORTING_TIME_ZONE: timeZoneSchema,
  /** Country (and region) whose public holidays the model learns, e.g. CA / BC; none when unset. */
  FORECAST_COUNTRY: z.string().regex(/^[A-Za-z]{2}$/, 'is not a two-letter country code').optional(),
  FORECAST_REGION: z.string().min(1).max(10).optional(),
  FORECAST_HORIZON_DAYS: z.coerce.number().int().min(1).max(14).default(14),
  FORECAST_HISTORY_DAYS: z.coerce.number().int().min(28).max(4000).default(2200),
  STAFFING_SERVICE_LEVEL: z.coerce.number().min(0.01).max(0.99).default(0.8),
  STAFFING_ANSWER_SECONDS: z.coerce.number().int().min(1).max(3600).default(20),
  /** Average handle time of one contact until agents' logged handling time measures it (forecast-job.ts). */
  STAFFING_AHT_SECONDS: z.coerce.number().int().min(1).max(36_000).default(300),
});
const store = reportingStore();

/** Scheduled (daily): volume forecasts per channel with their accuracy and an hourly staffing plan. */
export const handler = async (event: Partial<ScheduledEvent>): Promise<ForecastJobOutcome[]> => {
  const now = event.time ? new Date(event.time) : new Date();
  const outcomes = await runForecastJob(store, now, {
    horizonDays: config.FORECAST_HORIZON_DAYS,
    historyDays: config.FORECAST_HISTORY_DAYS,
    timeZone: config.REPORTING_TIME_ZONE,
    serviceLevelTarget: config.STAFFING_SERVICE_LEVEL,
    answerWithinSeconds: config.STAFFING_ANSWER_SECONDS,
    averageHandleSeconds: config.STAFFING_AHT_SECONDS,
    ...(config.FORECAST_COUNTRY
      ? { holidays: { country: config.FORECAST_COUNTRY.toUpperCase(), ...(config.FORECAST_REGION ? { region: config.FORECAST_REGION.toUpperCase() } : {}) } }
      : {}),
  });
  logger.info('forecasts computed', { stored: outcomes.filter((o) => o.stored).length, outcomes });
  return outcomes;
};
