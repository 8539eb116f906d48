import { ValidationError } from '../domain/errors';
import type { Channel } from '../domain/message';
import type { TicketStatus } from '../domain/ticket';

/**
 * Key layout of the crm single table. Index use (projections in infra/topology.ts):
 * - gsi1 (ALL): API keys; knowledge articles; agents' category corrections; orders by month;
 *   shop-customer links (a thread's and a ticket's messages are the id lists tickets keep:
 *   crm-threads.ts);
 * - gsi2 (KEYS_ONLY): inbound messages by the UTC day they were received, `RECV#<day>#<shard>` /
 *   `<receivedAt>#<id>`:
 *   set once at intake and never moved, read by the sweeper and the counters' rollup;
 * - gsi3 (INCLUDE): work lists: open and pending tickets in queue order, solved and closed ones
 *   by status, replies waiting for their provider (the outbox), messages left to an operator.
 *   A ticket's key moves only when its status group or priority score changes, never per message.
 */
export const keys = {
  message: (messageId: string) => ({ pk: `MSG#${messageId}`, sk: 'MSG' }),
  /** A channel thread's tickets: `ticketId` (and `openedBy`) of its open one, `closedTickets` in order. */
  threadTickets: (channel: Channel, threadKey: string) => ({ pk: `THREAD#${channel}#${threadKey}`, sk: 'TICKETS' }),
  ticket: (ticketId: string) => ({ pk: `TICKET#${ticketId}`, sk: 'TICKET' }),
  ticketsByStatus: (status: TicketStatus) => `TICKETS#${status}`,
  received: (day: string, shard: number) => `RECV#${day}#${shard}`,
  customer: (customerId: string) => ({ pk: `CUST#${customerId}`, sk: 'PROFILE' }),
  identity: (channel: Channel, address: string) => ({ pk: `IDENT#${channel}#${address}`, sk: 'IDENT' }),
  /** A client's request id on a ticket change, kept for a while so a retried request applies once. */
  ticketRequest: (ticketId: string, clientRequestId: string) => ({ pk: `REQUEST#${ticketId}#${clientRequestId}`, sk: 'REQUEST' }),
  /** An agent's category correction of a ticket (one per ticket, the latest wins). */
  label: (ticketId: string) => ({ pk: `LABEL#${ticketId}`, sk: 'LABEL' }),
  labels: 'LABELS',
  /** The sweeper's watermark: every message received before it is routed or left to an operator. */
  sweepState: { pk: 'SWEEP', sk: 'STATE' },
  /** Partition of the agents' queue: open and pending tickets. */
  queue: 'QUEUE',
  stuck: 'STUCK',
  /** Replies queued for SES / SMS, not yet sent or failed. */
  outbox: 'OUTBOX',
} as const;

/** Key attributes of the crm table's indexes, as infra/topology.ts declares them (a unit test keeps the two equal). */
export const INDEX_KEYS = {
  gsi1: { pk: 'gsi1pk', sk: 'gsi1sk' },
  gsi2: { pk: 'gsi2pk', sk: 'receivedAt' },
  gsi3: { pk: 'gsi3pk', sk: 'gsi3sk' },
} as const;

/** Shards of a day's received messages: a GSI partition takes ~1,000 writes/s. */
export const RECEIVED_SHARDS = 4;

/** Statuses whose tickets wait in the agents' queue. */
export const QUEUED_STATUSES: ReadonlySet<TicketStatus> = new Set(['open', 'pending']);

/**
 * Queue sort key: highest priority first (the score inverted, zero-padded), then the ticket
 * waiting longest (oldest creation); the item's own key makes it unique. Ascending is queue order.
 */
export const queueKey = (score: number, createdAt: string) => `${String(100 - Math.max(0, Math.min(100, Math.round(score)))).padStart(3, '0')}#${createdAt}`;

/** Sort key that orders by time and stays unique. */
export const timeKey = (at: string, id: string) => `${at}#${id}`;

export const encodeCursor = (key: Record<string, unknown> | undefined): string | undefined =>
  key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : undefined;

/** A Query's ExclusiveStartKey from a client's cursor; ValidationError (400) for a forged or broken one. */
export function startKeyOf(cursor: string | undefined): Record<string, unknown> | undefined {
  const start = decodeCursor(cursor);
  if (cursor && !start) throw new ValidationError('The cursor is not valid; use the `next` value of a previous page.');
  return start;
}

/** Decodes a cursor from a client; undefined for garbage so callers answer 400. */
export function decodeCursor(cursor: string | undefined): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
