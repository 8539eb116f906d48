import { deliveryView } from '../outbound/delivery';
import type { Classification, InboundMessage } from '../domain/message';
import type { Customer, FirstContact, OutboundReply, Priority, StoredMessage, Ticket } from '../domain/ticket';
import { shardOf } from '../analytics/counters';
import { keys, queueKey, QUEUED_STATUSES, RECEIVED_SHARDS, timeKey } from './crm-keys';

/** Item <-> entity mapping for the crm table; the only place that knows attribute names. */
export function ticketItem(t: Ticket): Record<string, unknown> {
  const { ticketId, messageIds, ...rest } = t;
  return {
    ...keys.ticket(ticketId),
    type: 'ticket',
    ...rest,
    // The thread, packed: 17 bytes a message (its id's hex as binary), so a ticket grows little per message.
    ...(messageIds.length ? { messages: packMessageIds(messageIds) } : {}),
    // Work list: open and pending tickets in queue order; solved and closed ones by status, newest
    // activity first (a message reopens them, so their key never moves while they hold it).
    ...(QUEUED_STATUSES.has(t.status)
      ? { gsi3pk: keys.queue, gsi3sk: queueKey(t.priority.score, t.createdAt) }
      : { gsi3pk: keys.ticketsByStatus(t.status), gsi3sk: t.lastMessageAt }),
  };
}

/** The ticket id of a ticket item (its key holds it: the item does not repeat it). */
export const ticketIdOf = (item: Record<string, unknown>): string => String(item.pk).slice('TICKET#'.length);

const OPTIONAL_TICKET_FIELDS = ['category', 'intent', 'ticketType', 'team', 'assignee', 'resolvedAt', 'rating', 'suggestedAnswer', 'firstResponseAt', 'deliveryFailure', 'outcomeCounted'] as const;

export function toTicket(item: Record<string, unknown>): Ticket {
  const i = item as unknown as Ticket;
  const optional = Object.fromEntries(OPTIONAL_TICKET_FIELDS.filter((k) => i[k] !== undefined).map((k) => [k, i[k]]));
  return {
    ...optional,
    ticketId: ticketIdOf(item),
    customerId: i.customerId,
    channel: i.channel,
    threadKey: i.threadKey,
    subject: i.subject,
    status: i.status,
    priority: i.priority,
    language: i.language,
    sentiment: i.sentiment,
    messageCount: Number(i.messageCount),
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
    lastMessageAt: i.lastMessageAt,
    lastMessagePreview: i.lastMessagePreview,
    messageIds: unpackMessageIds(item.messages),
  };
}

const MESSAGE_ID = /^msg_([0-9a-f]{32})$/;

/**
 * Message ids as the ticket item stores them: the ones shared/domain/ids.ts makes (`msg_` + 32
 * hex) as 16 bytes of binary, anything else as it is.
 */
export function packMessageIds(ids: readonly string[]): Array<Uint8Array | string> {
  return ids.map((id) => {
    const hex = MESSAGE_ID.exec(id)?.[1];
    return hex ? Buffer.from(hex, 'hex') : id;
  });
}

export function unpackMessageIds(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.map((v) => (v instanceof Uint8Array ? `msg_${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}` : String(v)));
}

/** A message item's id (inbound ones hold it in their key only; replies carry it too). */
export const messageIdOf = (item: Record<string, unknown>): string => String(item.messageId ?? String(item.pk).slice('MSG#'.length));

/**
 * A message's priority as stored: the score, and only the reasons its urgency does not already
 * give (tier, waiting time): the ticket keeps the whole list, and the message its urgency's.
 */
export function storedPriority(p: Priority, c: Classification): Priority {
  const urgency = new Set(c.urgency.reasons);
  return { score: p.score, reasons: p.reasons.filter((r) => !urgency.has(r)) };
}

/** An inbound message as intake stores it: `received`, waiting to be classified and routed. */
export function inboundMessageItem(message: InboundMessage): Record<string, unknown> {
  const { messageId, alsoKnownAs, attachments, threadKey, ...rest } = message;
  return {
    ...keys.message(messageId),
    direction: 'inbound',
    status: 'received',
    ...rest,
    // Left out when they add nothing, so a routed chat message stays under 1 KB (one write unit):
    // the id (in the key, which also says it is a message), empty lists, and a thread key that
    // is the sender (chat, SMS).
    ...(alsoKnownAs.length ? { alsoKnownAs } : {}),
    ...(attachments.length ? { attachments } : {}),
    ...(threadKey !== message.from ? { threadKey } : {}),
    // By the day received, for the sweeper and the rollup (gsi2 sorts by `receivedAt` itself);
    // its ticket lists it once routed (no thread index entry).
    gsi2pk: keys.received(message.receivedAt.slice(0, 10), shardOf(message.messageId) % RECEIVED_SHARDS),
  };
}

/**
 * The inbound message an item holds, as intake took it (routing's and the sweeper's attributes
 * left out). Not validated: callers that read items written by others check it (classify: zod).
 */
export function toInboundMessage(item: Record<string, unknown>): InboundMessage {
  const { pk, sk, type, direction, status, gsi1pk, gsi1sk, gsi2pk, gsi3pk, gsi3sk, sweepCount, stuck, retriedAt, ...rest } = item;
  return { messageId: messageIdOf(item), alsoKnownAs: [], attachments: [], threadKey: rest.threadKey ?? rest.from, ...rest } as unknown as InboundMessage;
}

export function toMessage(item: Record<string, unknown>): StoredMessage {
  const i = item as unknown as StoredMessage;
  const m: StoredMessage = {
    messageId: messageIdOf(item),
    channel: i.channel,
    direction: i.direction,
    from: i.from,
    text: i.text,
    // Left out when it is the sender (chat, SMS).
    threadKey: i.threadKey ?? i.from,
    receivedAt: i.receivedAt,
    status: i.status,
  };
  if (i.fromName) m.fromName = i.fromName;
  if (i.subject) m.subject = i.subject;
  if (i.routedAt) m.routedAt = i.routedAt;
  if (i.ticketId) m.ticketId = i.ticketId;
  if (i.customerId) m.customerId = i.customerId;
  if (i.classification) m.classification = i.classification;
  if (i.suggestions) m.suggestions = i.suggestions;
  if (i.inReplyTo) m.inReplyTo = i.inReplyTo;
  if (i.articleId) m.articleId = i.articleId;
  if (i.delivery) m.delivery = deliveryView(i.delivery);
  if (i.to) m.to = i.to;
  if (i.providerMessageId) m.providerMessageId = i.providerMessageId;
  return m;
}

export function toCustomer(item: Record<string, unknown>): Customer {
  const i = item as unknown as Customer;
  return {
    customerId: i.customerId,
    ...(i.name ? { name: i.name } : {}),
    ...(i.email ? { email: i.email } : {}),
    identities: i.identities ?? [],
    ...(toFirstContact(item.firstContact) ? { firstContact: toFirstContact(item.firstContact)! } : {}),
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
  };
}

/** A profile's first contact, when it holds a well-formed one. */
export function toFirstContact(v: unknown): FirstContact | undefined {
  const f = v as Partial<FirstContact> | undefined;
  return f && typeof f.messageId === 'string' && typeof f.channel === 'string' && typeof f.at === 'string' ? { messageId: f.messageId, channel: f.channel, at: f.at } : undefined;
}

/**
 * An outbound message item (auto-reply or agent reply): its ticket lists it, it is never pending routing; on the outbox list (gsi3) while its delivery is queued.
 */
export function outboundMessageItem(r: OutboundReply, on: { ticketId: string; customerId: string; routedAt: string }): Record<string, unknown> {
  return {
    ...keys.message(r.messageId),
    type: 'message',
    direction: 'outbound',
    status: 'routed',
    messageId: r.messageId,
    channel: r.channel,
    providerMessageId: r.messageId,
    from: r.from,
    alsoKnownAs: [],
    text: r.text,
    attachments: [],
    threadKey: r.threadKey,
    receivedAt: r.sentAt,
    routedAt: on.routedAt,
    ticketId: on.ticketId,
    customerId: on.customerId,
    inReplyTo: r.inReplyTo,
    ...(r.articleId ? { articleId: r.articleId } : {}),
    ...(r.sentBy ? { sentBy: r.sentBy } : {}),
    ...(r.delivery ? { delivery: r.delivery } : {}),
    // Sparse: a reply waiting for its provider is on the outbox list (the sweeper's) until sent or failed.
    ...(r.delivery?.status === 'queued' ? { gsi3pk: keys.outbox, gsi3sk: timeKey(r.sentAt, r.messageId) } : {}),
  };
}
