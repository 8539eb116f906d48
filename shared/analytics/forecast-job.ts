import { CHANNELS } from '../domain/message';
import type { ForecastRecord, ReportingStore } from './reporting-store';
import { sumCounters } from './counters';
import { buildDailySeries, disaggregateDaily, forecastDaily, hourOfWeekProfile, parseDay, type HolidayConfig, type HourlyPoint } from './forecast';
import { periodKey } from './kpi';
import { staffingPlan } from './staffing';

export interface ForecastJobOptions {
  horizonDays: number;
  /** Days of daily KPI rows read as history (the model uses at most six years). */
  historyDays: number;
  /** Holidays of the contact centre's country/region, if configured. */
  holidays?: HolidayConfig;
  /** The zone KPI days are cut in (the same as the KPI job's). */
  timeZone: string;
  /**
   * Erlang C inputs: target share answered within `answerWithinSeconds`, and the average handle
   * time to use until agents have logged enough handling time to measure it (see averageHandle).
   */
  serviceLevelTarget: number;
  answerWithinSeconds: number;
  averageHandleSeconds: number;
}

/** Fewer observed days than this and a forecast is not worth storing (four weeks: four of each weekday). */
export const MIN_FORECAST_HISTORY_DAYS = 28;
/** Weeks of hourly counters behind the hour-of-week profile. */
const PROFILE_DAYS = 28;
const DAY_MS = 86_400_000;

export type ForecastJobOutcome = { series: string; stored: true; mase: number | null } | { series: string; stored: false; reason: string };

/** Agents' logged handling time needed before it replaces the configured average handle time. */
export const MIN_HANDLING_LOGS = 30;

/** Daily inbound volume of one KPI series, from its day rows (complete days only), with its logged handling time. */
async function dailyVolume(store: ReportingStore, dimension: string, from: string, to: string) {
  const points: Array<{ day: number; value: number; handlingSeconds: number; handlingLogs: number }> = [];
  let cursor: string | undefined;
  do {
    const page = await store.listKpiRows('day', dimension, { from, to }, { limit: 500, ...(cursor ? { cursor } : {}) });
    for (const row of page.items) {
      const day = parseDay(row.periodKey);
      if (day !== undefined) {
        points.push({ day, value: row.counters.messagesIn ?? 0, handlingSeconds: row.counters.communicationSeconds ?? 0, handlingLogs: row.counters.handlingLogs ?? 0 });
      }
    }
    cursor = page.next;
  } while (cursor);
  return points;
}

/**
 * Average handle time for staffing: seconds per logged piece of work over the last PROFILE_DAYS
 * days of the series when agents logged at least MIN_HANDLING_LOGS, else the configured value.
 */
export function averageHandle(points: ReadonlyArray<{ day: number; handlingSeconds: number; handlingLogs: number }>, configuredSeconds: number) {
  const lastDay = Math.max(...points.map((p) => p.day));
  const recent = points.filter((p) => p.day > lastDay - PROFILE_DAYS);
  const logs = recent.reduce((s, p) => s + p.handlingLogs, 0);
  const seconds = recent.reduce((s, p) => s + p.handlingSeconds, 0);
  if (logs < MIN_HANDLING_LOGS || seconds <= 0) return { seconds: configuredSeconds, source: 'configured' as const, logs };
  return { seconds: Math.round(seconds / logs), source: 'measured' as const, logs };
}

/** Hourly inbound volume per dimension over the last PROFILE_DAYS UTC days, from the counters. */
async function hourlyVolume(store: ReportingStore, now: Date, timeZone: string): Promise<Map<string, HourlyPoint[]>> {
  const out = new Map<string, HourlyPoint[]>();
  for (let d = PROFILE_DAYS; d >= 1; d--) {
    for (const item of await store.readCounterDay(new Date(now.getTime() - d * DAY_MS).toISOString().slice(0, 10))) {
      if (typeof item.hour !== 'string') continue;
      const at = new Date(`${item.hour}:00:00Z`);
      const local = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(at);
      const day = parseDay(periodKey('day', at, timeZone))!;
      for (const [dimension, c] of sumCounters([item])) {
        const list = out.get(dimension) ?? [];
        list.push({ day, hour: Number(local), value: c.messagesIn });
        out.set(dimension, list);
      }
    }
  }
  return out;
}

/**
 * Forecasts inbound volume for `all` and every channel from the daily KPI rows, with
 * the model's own rolling-origin accuracy and an Erlang C staffing plan per hour, and
 * stores each as the series' latest forecast. Reads only the reporting table. A re-run
 * the same day overwrites that day's record.
 */
export async function runForecastJob(store: ReportingStore, now: Date, opts: ForecastJobOptions): Promise<ForecastJobOutcome[]> {
  // History ends with yesterday: today is not complete yet.
  const to = periodKey('day', new Date(now.getTime() - DAY_MS), opts.timeZone);
  const from = periodKey('day', new Date(now.getTime() - opts.historyDays * DAY_MS), opts.timeZone);
  const runDay = periodKey('day', now, opts.timeZone);
  const hourly = await hourlyVolume(store, now, opts.timeZone);
  const outcomes: ForecastJobOutcome[] = [];

  for (const series of ['all', ...CHANNELS]) {
    const dimension = series === 'all' ? 'all' : `channel#${series}`;
    const points = await dailyVolume(store, dimension, from, to);
    const total = points.reduce((s, p) => s + p.value, 0);
    if (points.length < MIN_FORECAST_HISTORY_DAYS || total === 0) {
      outcomes.push({ series, stored: false, reason: total === 0 ? 'no messages in the history' : `${points.length} days of history, ${MIN_FORECAST_HISTORY_DAYS} needed` });
      continue;
    }
    const daily = forecastDaily(buildDailySeries(points), opts.horizonDays, opts.holidays ? { holidays: opts.holidays } : {});
    const hours = disaggregateDaily(daily.rows, hourOfWeekProfile(hourly.get(dimension) ?? []));
    const aht = averageHandle(points, opts.averageHandleSeconds);
    const plan = staffingPlan(
      hours.map((h) => h.forecast),
      { intervalSeconds: 3600, ahtSeconds: aht.seconds, targetServiceLevel: opts.serviceLevelTarget, thresholdSeconds: opts.answerWithinSeconds },
    );
    const finite = (n: number) => (Number.isFinite(n) ? n : null);
    const round = (n: number) => Math.round(n * 100) / 100;
    const record: ForecastRecord = {
      channel: series,
      runDay,
      generatedAt: now.toISOString(),
      historyEnd: to,
      historyDays: points.length,
      model: 'weighted log-linear regression: weekday, yearly Fourier, special days, damped trend (docs/forecasting.md)',
      daily: daily.rows.map((r) => ({ date: r.date, forecast: round(r.forecast), lower: round(r.lower), upper: round(r.upper) })),
      accuracy: {
        mase: finite(daily.accuracy.mase),
        baselineMase: finite(daily.accuracy.naiveMase),
        origins: daily.accuracy.origins,
        horizon: 14,
        ...(daily.accuracy.origins === 0
          ? { reason: 'history too short for a rolling-origin backtest' }
          : !Number.isFinite(daily.accuracy.mase)
            ? { reason: 'seasonal naive makes no error on this history, so MASE is undefined' }
            : {}),
      },
      staffing: {
        serviceLevelTarget: opts.serviceLevelTarget,
        answerWithinSeconds: opts.answerWithinSeconds,
        averageHandleSeconds: aht.seconds,
        averageHandleSource: aht.source,
        handlingLogs: aht.logs,
        hourly: hours.map((h, i) => ({
          hour: `${h.date}T${String(h.hour).padStart(2, '0')}`,
          contacts: round(h.forecast),
          agents: plan[i]!.agents,
          serviceLevel: round(plan[i]!.serviceLevel),
        })),
      },
    };
    await store.putForecast(record);
    outcomes.push({ series, stored: true, mase: record.accuracy.mase });
  }
  return outcomes;
}
