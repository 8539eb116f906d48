import { csvLine } from '../../lib/csv';
import { computeKpis, KPI_NAMES, type KpiContext, type KpiName } from './compute';
import { mergeCounters, type KpiCounters } from './counters';
import type { KpiValue } from './kpi-value';
import { periodBounds, periodKey, type Granularity } from './periods';
import { kpiRowKey, type KpiDimension } from './row-key';

/**
 * What the scheduled job stores per (granularity × period × dimension): the row key, the
 * period's bounds, the counters it was computed from and the indices. No timestamps of the run,
 * so recomputing a period from the same counters writes a byte-identical row.
 */
export interface KpiRow {
  key: string;
  granularity: Granularity;
  periodKey: string;
  dimension: KpiDimension;
  timeZone: string;
  start: string;
  end: string;
  counters: KpiCounters;
  kpis: Record<KpiName, KpiValue>;
}

/** Builds one KPI row from its counters and context. */
export function buildKpiRow(
  granularity: Granularity,
  key: string,
  dimension: KpiDimension,
  counters: KpiCounters,
  context: KpiContext = {},
  timeZone = 'UTC',
): KpiRow {
  const { start, end } = periodBounds(key, timeZone);
  return {
    key: kpiRowKey(granularity, key, dimension),
    granularity,
    periodKey: key,
    dimension,
    timeZone,
    start,
    end,
    counters,
    kpis: computeKpis(counters, context),
  };
}

/**
 * Day counters (keyed by local day `YYYY-MM-DD`, as the pipeline keeps them) summed into the
 * weeks or months they fall in. Days already are local dates, so no time zone is needed.
 */
export function rollUpCounters(byDay: Iterable<readonly [string, KpiCounters]>, granularity: Granularity): Map<string, KpiCounters> {
  const out = new Map<string, KpiCounters>();
  for (const [day, counters] of byDay) {
    const key = periodKey(granularity, day);
    out.set(key, mergeCounters(out.get(key) ?? {}, counters));
  }
  return out;
}

/** CSV header of kpiCsvLine: period columns, then each index and its undefined reason. */
export function kpiCsvHeader(): string {
  return csvLine(['granularity', 'period', 'dimension', 'start', 'end', ...KPI_NAMES.flatMap((n) => [n, `${n}_undefined_reason`])]);
}

/** One CSV line of a row: an undefined index is an empty cell with its reason in the next column. */
export function kpiCsvLine(row: KpiRow): string {
  const cells = KPI_NAMES.flatMap((n) => {
    const v = row.kpis[n];
    return v.value === null ? ['', v.undefinedReason] : [v.value, ''];
  });
  return csvLine([row.granularity, row.periodKey, row.dimension, row.start, row.end, ...cells]);
}
