import { ValidationError } from '../domain/errors';
import type { Channel } from '../domain/message';
import type { StoredMessage } from '../domain/ticket';
import type { Page } from '../lib/page';
import { decodeCursor, encodeCursor, keys } from './crm-keys';
import { toMessage, unpackMessageIds } from './crm-items';
import type { CrmTable, Item } from './crm-table';

/**
 * Threads read from the id lists tickets keep (crm-items.ts packs them), not from an index entry
 * per message: a ticket's messages are its list; a channel thread's are the lists of its tickets,
 * in the order the thread's pointer names them (the closed ones, then the open one).
 */

/** A ticket item and its message ids, in the order they were attached. */
export async function ticketMessageIds(crm: CrmTable, ticketId: string): Promise<{ ticket?: Item; ids: string[] }> {
  const ticket = await crm.get(keys.ticket(ticketId), 'read the ticket');
  return ticket ? { ticket, ids: unpackMessageIds(ticket.messages) } : { ids: [] };
}

/** The message ids of every ticket a thread has had, oldest ticket first. */
export async function threadMessageIds(crm: CrmTable, channel: Channel, threadKey: string): Promise<string[]> {
  const pointer = await crm.get(keys.threadTickets(channel, threadKey), 'read the thread');
  if (!pointer) return [];
  const ticketIds = [...((pointer.closedTickets as string[] | undefined) ?? []), ...(pointer.ticketId ? [String(pointer.ticketId)] : [])];
  const tickets = await crm.getInOrder(ticketIds.map((id) => keys.ticket(id)), 'read the thread’s tickets', true);
  return tickets.flatMap((t) => unpackMessageIds(t?.messages));
}

/** One page of messages by id, in the list's order; the cursor is the position of the next one. */
export async function messagesPage(crm: CrmTable, ids: readonly string[], opts: { limit: number; cursor?: string }): Promise<Page<StoredMessage>> {
  const at = positionOf(opts.cursor);
  const slice = ids.slice(at, at + opts.limit);
  const items = await crm.getInOrder(slice.map((id) => keys.message(id)), 'read the messages');
  // A listed message is written before the ticket that lists it; one not found is left out.
  const messages = items.flatMap((item) => (item ? [toMessage(item)] : []));
  const next = at + slice.length < ids.length ? encodeCursor({ at: at + slice.length }) : undefined;
  return { items: messages, ...(next ? { next } : {}) };
}

/** The latest listed message that passes `test`, read from the end a few at a time. */
export async function latestMessage(crm: CrmTable, ids: readonly string[], test: (item: Item) => boolean): Promise<Item | undefined> {
  for (let end = ids.length; end > 0; end -= LATEST_CHUNK) {
    const slice = ids.slice(Math.max(0, end - LATEST_CHUNK), end);
    const items = await crm.getInOrder(slice.map((id) => keys.message(id)), 'read the latest messages');
    const found = items.reverse().find((item) => item && test(item));
    if (found) return found;
  }
  return undefined;
}

const LATEST_CHUNK = 10;

function positionOf(cursor: string | undefined): number {
  if (!cursor) return 0;
  const at = decodeCursor(cursor)?.at;
  if (typeof at !== 'number' || !Number.isInteger(at) || at < 0) throw new ValidationError('The cursor is not valid; use the `next` value of a previous page.');
  return at;
}
