import { createHash } from 'node:crypto';
import type { Channel } from '../domain/message';
import { countersFor, flattenCounters, isKpiDimension, mergeCounters, unflattenCounters, type KpiCounters, type KpiDimension, type KpiEvent } from './kpi';

/**
 * Pre-aggregated counters the pipeline maintains as it writes, so the KPI and forecast
 * jobs never scan the crm table. A counter cell is `<flattened KpiCounters field>@<dimension>`
 * inside an hourly bucket (UTC), split over a few shards so one busy hour is not one hot
 * item. Cells only grow by ADD inside the same transaction as the write they count, so a
 * redelivered message (whose transaction is cancelled) counts once, and a late message
 * lands in the hour it was received, correcting that hour's periods when the job runs again.
 */

/** Shards per hour: ~1,000 writes/s per DynamoDB partition, so this covers several thousand events a second. */
export const COUNTER_SHARDS = 8;

/** One hour's shard of counters and what to add to it. */
export interface CounterIncrement {
  /** UTC hour, `YYYY-MM-DDTHH`. */
  hour: string;
  shard: number;
  /** `field@dimension` → amount to add (never negative). */
  cells: Record<string, number>;
}

const cellName = (field: string, dimension: KpiDimension): string => `${field}@${dimension}`;

/** Splits a cell name back into field and dimension; undefined for attributes that are not cells. */
export function parseCell(name: string): { field: string; dimension: string } | undefined {
  const at = name.indexOf('@');
  return at > 0 ? { field: name.slice(0, at), dimension: name.slice(at + 1) } : undefined;
}

/** UTC hour bucket of an instant. */
export const hourOf = (at: string | Date): string => new Date(at).toISOString().slice(0, 13);

/** Stable shard of an id, so the same event always lands on the same shard. */
export const shardOf = (id: string): number => createHash('sha256').update(id).digest()[0]! % COUNTER_SHARDS;

/** The increment of some events, counted under every dimension given. */
export function counterIncrement(input: { hour: string; shardKey: string; events: KpiEvent[]; dimensions: readonly KpiDimension[] }): CounterIncrement {
  return { hour: input.hour, shard: shardOf(input.shardKey), cells: cellsOf(input.events, input.dimensions) };
}

function cellsOf(events: readonly KpiEvent[], dimensions: readonly KpiDimension[]): Record<string, number> {
  const flat = flattenCounters(mergeCounters(...events.map(countersFor)));
  const cells: Record<string, number> = {};
  for (const d of dimensions) for (const [field, n] of Object.entries(flat)) cells[cellName(field, d)] = n;
  return cells;
}

/**
 * `main` plus a correction to an earlier hour (e.g. a resolution's outcome revoked when the
 * ticket reopens) for the same transaction. The correction uses `main`'s shard, so the only
 * item the two can share is `main`'s own hour, and then it is merged into `main` (a transaction
 * may not touch one item twice). Corrections never carry the all-time totals' metrics.
 */
export function withCorrection(
  main: CounterIncrement,
  correction: { hour: string; events: KpiEvent[]; dimensions: readonly KpiDimension[] },
): { counters: CounterIncrement; correction?: CounterIncrement } {
  const cells = cellsOf(correction.events, correction.dimensions);
  if (correction.hour !== main.hour) return { counters: main, correction: { hour: correction.hour, shard: main.shard, cells } };
  const merged = { ...main.cells };
  for (const [cell, n] of Object.entries(cells)) merged[cell] = (merged[cell] ?? 0) + n;
  return { counters: { ...main, cells: merged } };
}

/** Dimensions an event is counted under: all, its channel, and its team and agent when known. */
export function dimensionsOf(where: { channel: Channel; team?: string | undefined; agent?: string | undefined }): KpiDimension[] {
  const dims: KpiDimension[] = ['all', `channel#${where.channel}`];
  // Ids with '#' or spaces cannot be dimension keys (see isKpiDimension); such an id is counted under all and channel only.
  if (where.team && isKpiDimension(`team#${where.team}`)) dims.push(`team#${where.team}`);
  if (where.agent && isKpiDimension(`agent#${where.agent}`)) dims.push(`agent#${where.agent}`);
  return dims;
}

/** What routing one inbound message adds: its hour is the hour it was received. */
export function routedMessageCounters(input: {
  messageId: string;
  channel: Channel;
  receivedAt: string;
  openedTicket: boolean;
  complaint?: boolean;
  team?: string;
  agent?: string;
}): CounterIncrement {
  const events: KpiEvent[] = [{ type: 'message.received' }];
  if (input.openedTicket) events.push({ type: 'ticket.opened', ...(input.complaint ? { complaint: true } : {}) });
  return counterIncrement({ hour: hourOf(input.receivedAt), shardKey: input.messageId, events, dimensions: dimensionsOf({ channel: input.channel, team: input.team, agent: input.agent }) });
}

/** Per dimension, the KPI counters summed over many counter items (shards, hours). */
export function sumCounters(items: Iterable<Record<string, unknown>>, into: Map<string, KpiCounters> = new Map()): Map<string, KpiCounters> {
  const flatByDimension = new Map<string, Record<string, number>>();
  for (const item of items) {
    for (const [name, value] of Object.entries(item)) {
      const cell = parseCell(name);
      if (!cell || typeof value !== 'number') continue;
      const flat = flatByDimension.get(cell.dimension) ?? {};
      flat[cell.field] = (flat[cell.field] ?? 0) + value;
      flatByDimension.set(cell.dimension, flat);
    }
  }
  for (const [dimension, flat] of flatByDimension) {
    const prev = into.get(dimension);
    into.set(dimension, prev ? mergeCounters(prev, unflattenCounters(flat)) : unflattenCounters(flat));
  }
  return into;
}
