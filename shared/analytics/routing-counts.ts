import type { Channel } from '../domain/message';
import { counterIncrement, dimensionsOf, hourOf, type CounterIncrement } from './counters';
import { ACTIVE_FIELD, RETAINED_FIELD } from './customer-activity';
import type { KpiEvent } from './kpi';
import type { TextSample } from './text-samples';

/**
 * What routing one message counts, kept on the message itself instead of a counter write per
 * message: the message's own conditional routing write records it, so it is counted exactly
 * once, and the rollup (rollUpMessages) sums a closed hour's messages into counter cells once.
 */
export interface CountedEvents {
  events: KpiEvent[];
  /** The ticket's team and agent when the message was routed (dimensions it counts under). */
  team?: string;
  agent?: string;
}

export interface RoutingCounts extends CountedEvents {
  /** A correction to an earlier hour (a reopened resolution's outcome, revoked). */
  correction?: CountedEvents & { hour: string };
  /** Routed after its hour was about to close: counted by counter writes with its routing, not by the rollup. */
  direct?: true;
  /** Scopes (`all`, `channel#…`) the message made its customer active in this month, and of those retained from the month before. */
  active?: string[];
  retained?: string[];
}

/** A routed inbound message as the rollup reads it. */
export interface CountedMessage {
  messageId: string;
  channel: Channel;
  receivedAt: string;
  counts: RoutingCounts;
  /** Its text sample for need analysis (the rollup bundles a closed hour's samples). */
  sample?: TextSample;
}

/** Counter cells per target UTC hour (`YYYY-MM-DDTHH`): `field@dimension` → amount. */
export type HourCells = Map<string, Record<string, number>>;

function add(into: HourCells, hour: string, cells: Record<string, number>): void {
  const target = into.get(hour) ?? {};
  for (const [cell, n] of Object.entries(cells)) target[cell] = (target[cell] ?? 0) + n;
  into.set(hour, target);
}

const cellsOf = (m: CountedMessage, c: CountedEvents, hour: string) =>
  counterIncrement({ hour, shardKey: m.messageId, events: c.events, dimensions: dimensionsOf({ channel: m.channel, team: c.team, agent: c.agent }) }).cells;

/** The churn markers' cells (customer-activity.ts): read by the KPI job by name, not as KPI events. */
function activityCells(c: RoutingCounts): Record<string, number> {
  const cells: Record<string, number> = {};
  for (const s of c.active ?? []) cells[`${ACTIVE_FIELD}@${s}`] = 1;
  for (const s of c.retained ?? []) cells[`${RETAINED_FIELD}@${s}`] = 1;
  return cells;
}

/**
 * Sums messages' counts: each message in the hour it was received, its correction (if any) in
 * the hour that correction names. The same messages always give the same cells.
 */
export function rollUpMessages(messages: Iterable<CountedMessage>, into: HourCells = new Map()): HourCells {
  for (const m of messages) {
    if (m.counts.direct) continue;
    const hour = hourOf(m.receivedAt);
    add(into, hour, { ...cellsOf(m, m.counts, hour), ...activityCells(m.counts) });
    if (m.counts.correction) add(into, m.counts.correction.hour, cellsOf(m, m.counts.correction, m.counts.correction.hour));
  }
  return into;
}

/** Minutes after an hour ends before it is rolled up: routing (and the sweeper's retries) finish well within. */
export const CLOSE_MARGIN_MINUTES = 15;
/** A message routed this long after its hour ended is counted directly (its hour may be rolled up already). */
export const LATE_AFTER_MINUTES = 10;

const HOUR_MS = 3_600_000;

/** Hours that are closed at `now`: their messages are all routed, so their rollup is final. */
export function isClosedHour(hour: string, now: Date): boolean {
  return Date.parse(`${hour}:00:00Z`) + HOUR_MS + CLOSE_MARGIN_MINUTES * 60_000 <= now.getTime();
}

/** Whether routing a message received at `receivedAt` now must count it directly (see RoutingCounts.direct). */
export function isLateForRollup(receivedAt: string, now: Date): boolean {
  return Date.parse(`${hourOf(receivedAt)}:00:00Z`) + HOUR_MS + LATE_AFTER_MINUTES * 60_000 <= now.getTime();
}

/**
 * The counter increments of a message counted directly: its own hour, and its correction's (in
 * the same increment when it names the same hour: one transaction may touch an item only once).
 */
export function directIncrements(m: CountedMessage): CounterIncrement[] {
  const hour = hourOf(m.receivedAt);
  const events = counterIncrement({ hour, shardKey: m.messageId, events: m.counts.events, dimensions: dimensionsOf({ channel: m.channel, team: m.counts.team, agent: m.counts.agent }) });
  const main = { ...events, cells: { ...events.cells, ...activityCells(m.counts) } };
  const c = m.counts.correction;
  if (!c) return [main];
  const correction = counterIncrement({ hour: c.hour, shardKey: m.messageId, events: c.events, dimensions: dimensionsOf({ channel: m.channel, team: c.team, agent: c.agent }) });
  if (c.hour !== hour) return [main, { ...correction, shard: main.shard }];
  const cells = { ...main.cells };
  for (const [cell, n] of Object.entries(correction.cells)) cells[cell] = (cells[cell] ?? 0) + n;
  return [{ ...main, cells }];
}

/** UTC hours from `from` to `to` inclusive (both `YYYY-MM-DDTHH`). */
export function hoursBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}:00:00Z`), end = Date.parse(`${to}:00:00Z`); t <= end; t += HOUR_MS) out.push(hourOf(new Date(t)));
  return out;
}

export const nextHour = (hour: string): string => hourOf(new Date(Date.parse(`${hour}:00:00Z`) + HOUR_MS));

/** Routed messages by the time they were received (adapter: the crm table's received-day index). */
export interface RoutedMessageLog {
  /** Calls `fn` for every routed message received in [from, to) (ISO instants). */
  forEachCounted(from: string, to: string, fn: (m: CountedMessage) => void): Promise<void>;
}

/** Where rolled-up hours go (adapter: the reporting table, beside the counters the API's writes add). */
export interface RollupStore {
  /** The last source hour rolled up, if any. */
  rolledUpTo(): Promise<string | undefined>;
  /** Adds a closed source hour's cells to the counters (and the all-time totals) once; a rerun adds nothing. */
  putRollup(sourceHour: string, cells: HourCells): Promise<void>;
  /** Stores a closed source hour's text samples (bundled); a rerun with the same samples changes nothing. */
  putTextSamples(sourceHour: string, samples: TextSample[]): Promise<void>;
  /** Records that every hour up to this one is rolled up. */
  markRolledUpTo(hour: string): Promise<void>;
}

/** Counter items as the KPI job reads them: `hour` plus `field@dimension` cells. */
export type CounterItem = Record<string, unknown> & { hour: string };

/**
 * Rolls up every closed hour since the last one rolled up (never before `fromHour`: the oldest
 * hour the caller reads): its counts into counters, its text samples into bundles (a message
 * counted directly wrote its own). Returns the counts of the hours not closed yet as counter
 * items, read live and not stored. Each message is read once per run, a page at a time.
 */
export async function rollUpRouting(log: RoutedMessageLog, store: RollupStore, now: Date, fromHour: string): Promise<{ rolledUp: number; live: CounterItem[] }> {
  const last = await store.rolledUpTo();
  const start = last && last >= fromHour && last < hourOf(now) ? nextHour(last) : fromHour;
  const bySource = new Map<string, HourCells>();
  const samples = new Map<string, TextSample[]>();
  await log.forEachCounted(`${start}:00:00.000Z`, now.toISOString(), (m) => {
    const source = hourOf(m.receivedAt);
    const cells = bySource.get(source) ?? new Map();
    bySource.set(source, rollUpMessages([m], cells));
    // Samples only of closed hours: the open ones are not stored (need analysis reads them live).
    if (m.sample && !m.counts.direct && isClosedHour(source, now)) {
      const list = samples.get(source) ?? [];
      list.push(m.sample);
      samples.set(source, list);
    }
  });
  let rolledUp = 0;
  let lastClosed: string | undefined;
  const live: HourCells = new Map();
  for (const hour of hoursBetween(start, hourOf(now))) {
    const cells = bySource.get(hour);
    if (isClosedHour(hour, now)) {
      // Samples first: the hour counts as done only once both are written.
      const texts = samples.get(hour);
      if (texts?.length) await store.putTextSamples(hour, texts);
      if (cells) await store.putRollup(hour, cells);
      rolledUp++;
      lastClosed = hour;
    } else for (const [target, c] of cells ?? []) add(live, target, c);
  }
  if (lastClosed) await store.markRolledUpTo(lastClosed);
  return { rolledUp, live: [...live].map(([hour, cells]) => ({ hour, ...cells })) };
}
