import * as z from 'zod';
import { forecastCsv, kpiRowsCsv } from '../../shared/analytics/report-csv';
import { granularityOf } from '../../shared/analytics/kpi';
import { NotFoundError, ValidationError } from '../../shared/domain/errors';
import { CHANNELS } from '../../shared/domain/message';
import type { KpiRow } from '../../shared/analytics/reporting-store';
import { httpRoutes, json, parseQuery, type HttpResult } from '../lib/http';
import { reportingStore } from '../lib/services';

const store = reportingStore();

/** A CSV export is one response: bounded so it stays far below the 6 MB Lambda payload limit. */
const MAX_CSV_ROWS = 5000;

const kpiQuery = z.strictObject({
  granularity: z.enum(['day', 'week', 'month']).default('day'),
  dimension: z.string().regex(/^(all|(channel|team|agent)#[^#\s]+)$/, 'must be all, channel#<name>, team#<id> or agent#<id>').default('all'),
  from: z.string().optional(),
  to: z.string().optional(),
  format: z.enum(['json', 'csv']).default('json'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(2048).optional(),
});

const forecastQuery = z.strictObject({
  channel: z.enum(['all', ...CHANNELS]).default('all'),
  format: z.enum(['json', 'csv']).default('json'),
});

const needsQuery = z.strictObject({
  granularity: z.enum(['day', 'week', 'month']).default('week'),
  period: z.string(),
});

const csv = (body: string, filename: string): HttpResult => ({
  statusCode: 200,
  headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"` },
  body,
});

/** `from`/`to` must be period keys of the granularity asked for (2024-03-07, 2024-W10, 2024-03). */
function checkPeriod(key: string | undefined, granularity: string, name: string): void {
  if (key === undefined) return;
  let actual: string | undefined;
  try {
    actual = granularityOf(key);
  } catch {
    actual = undefined;
  }
  if (actual !== granularity) {
    const example = { day: '2024-03-07', week: '2024-W10', month: '2024-03' }[granularity];
    throw new ValidationError(`\`${name}\` must be a ${granularity} period key like ${example}.`, [{ path: name, message: `not a ${granularity} key` }]);
  }
}

/** Managers' reports, read from the reporting table only. */
export const handler = httpRoutes({
  'GET /v1/reports/kpis': async (event) => {
    const q = parseQuery(event, kpiQuery);
    checkPeriod(q.from, q.granularity, 'from');
    checkPeriod(q.to, q.granularity, 'to');
    // Period keys sort lexically within a granularity; the bounds below cover every key.
    const range = { from: q.from ?? '0000', to: q.to ?? '9999' };
    if (q.format === 'csv') {
      const rows: KpiRow[] = [];
      let cursor = q.cursor;
      do {
        const page = await store.listKpiRows(q.granularity, q.dimension, range, { limit: 500, ...(cursor ? { cursor } : {}) });
        rows.push(...page.items);
        cursor = page.next;
      } while (cursor && rows.length < MAX_CSV_ROWS);
      if (cursor) throw new ValidationError(`More than ${MAX_CSV_ROWS} rows match; narrow \`from\`/\`to\`.`);
      return csv(kpiRowsCsv(rows), `kpis-${q.granularity}-${q.dimension.replace('#', '-')}.csv`);
    }
    const page = await store.listKpiRows(q.granularity, q.dimension, range, { limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}) });
    return json(200, { granularity: q.granularity, dimension: q.dimension, rows: page.items, ...(page.next ? { next: page.next } : {}) });
  },
  'GET /v1/reports/needs': async (event) => {
    const q = parseQuery(event, needsQuery);
    checkPeriod(q.period, q.granularity, 'period');
    const record = await store.getNeedAnalysis(q.granularity, q.period);
    if (!record) throw new NotFoundError(`No need analysis for ${q.granularity} ${q.period}: the needs job runs daily for yesterday and the current and previous week and month.`);
    return json(200, { needs: record });
  },
  'GET /v1/reports/forecasts': async (event) => {
    const q = parseQuery(event, forecastQuery);
    const record = await store.getLatestForecast(q.channel);
    if (!record) throw new NotFoundError(`No forecast for channel ${q.channel} yet: the forecast job runs daily once there are 28 days of history.`);
    return q.format === 'csv' ? csv(forecastCsv(record), `forecast-${q.channel}-${record.runDay}.csv`) : json(200, { forecast: record });
  },
});
