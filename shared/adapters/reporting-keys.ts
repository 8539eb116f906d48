import type { CounterIncrement } from '../analytics/counters';

/**
 * Key layout of the reporting table (reports never read the live crm table):
 * - counters: `COUNTERS#<UTC day>` / `<HH>#<shard>` (all, channels, teams: a bounded set) and
 *   `<HH>#<shard>#agent#<id>` (one item per agent, so an hour's item does not grow with the
 *   number of agents, and each ADD pays only for its own item's size) — one Query reads a day;
 * - routing's counts rolled up per closed hour (its messages hold them): `COUNTERS#<UTC day>` /
 *   `<HH>#r<source hour>` (and `#agent#<id>`), applied once per `ROLLUP#<source hour>` marker;
 * - all-time totals (for backlog): `TOTALS` / `<shard>`, and `<shard>#agent#<id>` (`r` for the rollup);
 * - KPI rows: `KPI#<granularity>#<dimension>` / `<period key>` — one Query reads a range;
 * - forecasts: `FORECAST#<channel>` / `<run day>` and `LATEST`;
 * - message text samples (need analysis): `TEXT#<UTC day>#<shard>` / `<UTC hour>#b<part>` (a closed
 *   hour's bundle, written by the rollup) and `<receivedAt>#<messageId>` (a late message's own);
 * - need analyses: `NEEDS#<granularity>` / `<period key>`;
 * - business events already counted (idempotency markers): `EVENT#<event id>` / `EVENT`;
 * - customers active in a month (churn): `ACTIVE#<month>` / `<customer id>`.
 */
export const reportingKeys = {
  counterDay: (day: string) => `COUNTERS#${day}`,
  /** `agent`: the agent whose cells the item holds; absent for the bounded dimensions (all, channels, teams). */
  counter: (hour: string, shard: number | string, agent?: string) => ({ pk: `COUNTERS#${hour.slice(0, 10)}`, sk: `${hour.slice(11, 13)}#${shard}${agent ? `#${agent}` : ''}` }),
  totals: (shard: number | string, agent?: string) => ({ pk: 'TOTALS', sk: `${shard}${agent ? `#${agent}` : ''}` }),
  totalsPk: 'TOTALS',
  /** Routing's counts rolled up: one marker per closed source hour and chunk, and the last hour done. */
  rollup: (sourceHour: string, chunk: number) => ({ pk: `ROLLUP#${sourceHour}`, sk: String(chunk) }),
  rollupState: { pk: 'ROLLUP', sk: 'STATE' },
  kpiSeries: (granularity: string, dimension: string) => `KPI#${granularity}#${dimension}`,
  forecastSeries: (channel: string) => `FORECAST#${channel}`,
  latest: 'LATEST',
  textSamples: (day: string, shard: number) => `TEXT#${day}#${shard}`,
  textSampleBundle: (hour: string, part: number) => `${hour}#b${part}`,
  needs: (granularity: string) => `NEEDS#${granularity}`,
  businessEvent: (eventId: string) => `EVENT#${eventId}`,
  /** A customer's activity marker of a month; scope `all` keeps the original key (the customer id alone). */
  activeCustomer: (month: string, customerId: string, scope = 'all') => ({ pk: `ACTIVE#${month}`, sk: scope === 'all' ? customerId : `${scope}#${customerId}` }),
} as const;

/** Metrics that also go into the all-time totals (what backlog is derived from). */
const TOTAL_METRICS = new Set(['ticketsOpened', 'ticketsResolved']);

/**
 * The UpdateItem(s) that add a counter increment: the hourly shard, and the all-time
 * totals for the metrics backlog needs. Plain ADDs, so they commute and can sit inside
 * the transaction of the write they count.
 */
export function counterUpdates(table: string, inc: CounterIncrement | { hour: string; shard: string; cells: Record<string, number> }, totalsShard: number | string = inc.shard): Array<{ Update: Record<string, unknown> }> {
  const update = (key: Record<string, string>, cells: Record<string, number>, extra: Record<string, unknown> = {}) => {
    const entries = Object.entries(cells);
    const names = Object.fromEntries(entries.map(([cell], i) => [`#c${i}`, cell]));
    const values = Object.fromEntries(entries.map(([, v], i) => [`:c${i}`, v]));
    const setExtra = Object.keys(extra);
    return {
      Update: {
        TableName: table,
        Key: key,
        UpdateExpression:
          `ADD ${entries.map((_, i) => `#c${i} :c${i}`).join(', ')}` + (setExtra.length ? ` SET ${setExtra.map((k) => `#${k} = :${k}`).join(', ')}` : ''),
        ExpressionAttributeNames: { ...names, ...Object.fromEntries(setExtra.map((k) => [`#${k}`, k])) },
        ExpressionAttributeValues: { ...values, ...Object.fromEntries(setExtra.map((k) => [`:${k}`, extra[k]])) },
      },
    };
  };
  // Agents' cells in items of their own (see the key layout); everything else in the hour's shard item.
  const groups = new Map<string | undefined, Record<string, number>>();
  for (const [cell, n] of Object.entries(inc.cells)) {
    const dimension = cell.slice(cell.indexOf('@') + 1);
    const agent = dimension.startsWith('agent#') ? dimension : undefined;
    groups.set(agent, { ...groups.get(agent), [cell]: n });
  }
  const out: Array<{ Update: Record<string, unknown> }> = [];
  for (const [agent, cells] of groups) {
    out.push(update(reportingKeys.counter(inc.hour, inc.shard, agent), cells, { type: 'counter', hour: inc.hour }));
    const totals = Object.fromEntries(Object.entries(cells).filter(([cell]) => TOTAL_METRICS.has(cell.slice(0, cell.indexOf('@')))));
    if (Object.keys(totals).length) out.push(update(reportingKeys.totals(totalsShard, agent), totals, { type: 'totals' }));
  }
  return out;
}

/** The counter updates of an increment for a transaction on the crm side (none when nothing is counted). */
export function reportingWrites(table: string | undefined, counters: CounterIncrement | undefined): Array<{ Update: Record<string, unknown> }> {
  if (!counters) return [];
  if (!table) throw new Error('Counters were given but the store has no reporting table (REPORTING_TABLE binding missing)');
  return counterUpdates(table, counters);
}
