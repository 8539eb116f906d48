import type { ReportingStore } from './reporting-store';
import { hourOf, parseCell, sumCounters } from './counters';
import { rollUpRouting, type RollupStore, type RoutedMessageLog } from './routing-counts';
import { ACTIVE_FIELD, RETAINED_FIELD } from './customer-activity';
import {
  buildKpiRow,
  emptyCounters,
  isKpiDimension,
  mergeCounters,
  periodBounds,
  periodKey,
  periodsBetween,
  previousPeriodKey,
  rollUpCounters,
  type KpiContext,
  type Granularity,
  type KpiCounters,
  type KpiDimension,
  type KpiRow,
} from './kpi';

export interface KpiJobOptions {
  /** IANA zone whose local midnight starts a day (whole-hour offsets only: counters are hourly). */
  timeZone: string;
  /** Days back from now that are recomputed on every run, so late events correct their period. */
  lookbackDays: number;
}

export interface KpiJobResult {
  rows: number;
  from: string;
  to: string;
  dimensions: string[];
}

const DAY_MS = 86_400_000;
/** Counter days read at once: parallel Queries, bounded so a long window does not burst. */
const READ_CONCURRENCY = 8;
const GRANULARITIES: readonly Granularity[] = ['day', 'week', 'month'];

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Reads the counter items of the UTC days from fromMs to toMs, a few Queries at a time. */
async function readCounterItems(store: ReportingStore, fromMs: number, toMs: number): Promise<Array<Record<string, unknown>>> {
  const days: string[] = [];
  for (let t = Date.parse(utcDay(fromMs)); t <= toMs; t += DAY_MS) days.push(utcDay(t));
  const items: Array<Record<string, unknown>> = [];
  for (let i = 0; i < days.length; i += READ_CONCURRENCY) {
    const batch = await Promise.all(days.slice(i, i + READ_CONCURRENCY).map((d) => store.readCounterDay(d)));
    for (const part of batch) items.push(...part);
  }
  return items;
}

/**
 * Recomputes every KPI row (day, week and month × every dimension seen) whose period
 * overlaps the last `lookbackDays`, from the hourly counters, and upserts them. With
 * `routed` (the crm table's received-day list), routing's counts are first rolled up for
 * closed hours and read live for open ones (routing-counts.ts); the rest is one Query per
 * UTC day plus the totals. Rows carry no run timestamp, so a re-run over the same counters
 * writes identical rows.
 */
export async function runKpiJob(store: ReportingStore & RollupStore, now: Date, opts: KpiJobOptions, routed?: RoutedMessageLog): Promise<KpiJobResult> {
  const tz = opts.timeZone;
  const nowMs = now.getTime();
  const windowStart = new Date(nowMs - opts.lookbackDays * DAY_MS);
  // Widen to whole weeks and months, so their rows are summed from complete days.
  const fromMs = Math.min(...GRANULARITIES.map((g) => Date.parse(periodBounds(periodKey(g, windowStart, tz), tz).start)));
  // One month more is read for the churn rate: a month's churn needs the month before's active customers.
  const firstMonth = periodKey('month', new Date(fromMs), tz);
  const readFromMs = Date.parse(periodBounds(previousPeriodKey(firstMonth), tz).start);
  // Routing's counts are on its messages: closed hours are rolled up into counters first, the rest read live.
  const live = routed ? (await rollUpRouting(routed, store, now, hourOf(new Date(readFromMs)))).live : [];
  const [stored, storedTotals] = await Promise.all([readCounterItems(store, readFromMs, nowMs), store.readTotals()]);
  const allItems = [...stored, ...live];
  const totals = [...storedTotals, ...live.map(totalsOf)];
  const churn = monthlyActivity(allItems, tz);
  const items = allItems.filter((i) => typeof i.hour === 'string' && Date.parse(`${i.hour}:00:00Z`) >= fromMs);

  // Per dimension: counters per local day, and per hour the ticket flows backlog needs.
  const byDimension = new Map<KpiDimension, Map<string, KpiCounters>>([['all', new Map()]]);
  const flows: Array<{ hourMs: number; dimension: string; net: number }> = [];
  for (const item of items) {
    if (typeof item.hour !== 'string') continue;
    const hourMs = Date.parse(`${item.hour}:00:00Z`);
    const day = periodKey('day', new Date(hourMs), tz);
    for (const [dimension, c] of sumCounters([item])) {
      if (!isKpiDimension(dimension)) continue;
      const days = byDimension.get(dimension) ?? new Map<string, KpiCounters>();
      byDimension.set(dimension, days);
      days.set(day, mergeCounters(days.get(day) ?? {}, c));
      if (c.ticketsOpened || c.ticketsResolved) flows.push({ hourMs, dimension, net: c.ticketsOpened - c.ticketsResolved });
    }
  }
  // Open tickets now (all-time opened − resolved); at an earlier instant, minus what opened since.
  const backlogNow = sumCounters(totals);
  const backlogAt = (dimension: string, atMs: number): number => {
    const total = backlogNow.get(dimension);
    let b = total ? total.ticketsOpened - total.ticketsResolved : 0;
    if (atMs < nowMs) for (const f of flows) if (f.dimension === dimension && f.hourMs >= atMs) b -= f.net;
    return Math.max(0, b);
  };

  const dayKeys = periodsBetween(new Date(fromMs), now, 'day', tz);
  const rows: KpiRow[] = [];
  for (const [dimension, days] of [...byDimension].sort(([a], [b]) => a.localeCompare(b))) {
    // Every day of the window gets a row, zeros included: a volume series must not skip quiet days.
    const complete = new Map(dayKeys.map((d) => [d, days.get(d) ?? emptyCounters()] as const));
    for (const granularity of GRANULARITIES) {
      const periods = granularity === 'day' ? complete : rollUpCounters(complete, granularity);
      for (const [key, counters] of periods) {
        const end = Date.parse(periodBounds(key, tz).end);
        const context: KpiContext = { backlog: backlogAt(dimension, end) };
        const activity = churn.get(dimension);
        if (granularity === 'month' && activity) {
          // Churn = (previous month's active − those active again) / previous month's active, overall or on the channel.
          context.previousActiveCustomers = activity.get(previousPeriodKey(key))?.active ?? 0;
          context.retainedCustomers = activity.get(key)?.retained ?? 0;
        }
        rows.push(buildKpiRow(granularity, key, dimension, counters, context, tz));
      }
    }
  }
  await store.putKpiRows(rows);
  return { rows: rows.length, from: dayKeys[0] ?? '', to: dayKeys.at(-1) ?? '', dimensions: [...byDimension.keys()].sort() };
}

/** The all-time totals' share of a live counter item (what backlog needs). */
function totalsOf(item: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).filter(([name]) => name.startsWith('ticketsOpened@') || name.startsWith('ticketsResolved@')));
}

/** Per scope (`all`, `channel#…`) and local month: customers active in it and, of those, active the month before too. */
function monthlyActivity(items: ReadonlyArray<Record<string, unknown>>, tz: string): Map<string, Map<string, { active: number; retained: number }>> {
  const out = new Map<string, Map<string, { active: number; retained: number }>>();
  for (const item of items) {
    if (typeof item.hour !== 'string') continue;
    let month: string | undefined;
    for (const [name, value] of Object.entries(item)) {
      const cell = parseCell(name);
      if (!cell || typeof value !== 'number' || (cell.field !== ACTIVE_FIELD && cell.field !== RETAINED_FIELD)) continue;
      month ??= periodKey('month', new Date(`${item.hour}:00:00Z`), tz);
      const byMonth = out.get(cell.dimension) ?? new Map<string, { active: number; retained: number }>();
      const m = byMonth.get(month) ?? { active: 0, retained: 0 };
      if (cell.field === ACTIVE_FIELD) m.active += value;
      else m.retained += value;
      byMonth.set(month, m);
      out.set(cell.dimension, byMonth);
    }
  }
  return out;
}
