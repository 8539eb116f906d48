import { GRANULARITIES, granularityOf, PeriodError, type Granularity } from './periods';

/**
 * Row keys of the reporting table's KPI rows. One row per (granularity × period × dimension);
 * the key is a pure function of the three, so a re-run of the job for the same period upserts
 * (overwrites) the same row instead of adding one.
 */

/** What a KPI row is computed over: everything, or one channel, team or agent. */
export type KpiDimension = 'all' | `channel#${string}` | `team#${string}` | `agent#${string}`;

const DIMENSION = /^(all|(channel|team|agent)#[^#\s]+)$/;

/** A dimension for a channel name, team id or agent id (validated: no `#` or whitespace in the id). */
export function kpiDimension(kind: 'channel' | 'team' | 'agent', id: string): KpiDimension {
  const d = `${kind}#${id}`;
  if (!DIMENSION.test(d)) throw new PeriodError(`Invalid ${kind} id "${id}" for a KPI dimension`);
  return d as KpiDimension;
}

/** True when `s` is a well-formed dimension. */
export function isKpiDimension(s: string): s is KpiDimension {
  return DIMENSION.test(s);
}

/** `KPI#<granularity>#<periodKey>#<dimension>`, e.g. `KPI#day#2024-03-07#channel#email`. */
export function kpiRowKey(granularity: Granularity, periodKey: string, dimension: KpiDimension): string {
  if (!GRANULARITIES.includes(granularity)) throw new PeriodError(`Unknown granularity "${String(granularity)}"`);
  if (granularityOf(periodKey) !== granularity) throw new PeriodError(`Period key "${periodKey}" is not a ${granularity}`);
  if (!isKpiDimension(dimension)) throw new PeriodError(`Invalid KPI dimension "${dimension}"`);
  return `KPI#${granularity}#${periodKey}#${dimension}`;
}

/** The parts of a row key made by kpiRowKey. */
export function parseKpiRowKey(key: string): { granularity: Granularity; periodKey: string; dimension: KpiDimension } {
  const m = /^KPI#(day|week|month)#([^#]+)#(.+)$/.exec(key);
  if (!m || !isKpiDimension(m[3] as string) || granularityOf(m[2] as string) !== m[1]) {
    throw new PeriodError(`Not a KPI row key: "${key}"`);
  }
  return { granularity: m[1] as Granularity, periodKey: m[2] as string, dimension: m[3] as KpiDimension };
}
