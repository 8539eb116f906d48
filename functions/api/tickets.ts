import * as z from 'zod';
import { NotFoundError } from '../../shared/domain/errors';
import { TICKET_STATUSES } from '../../shared/domain/ticket';
import { planRating } from '../../shared/tickets/rate-ticket';
import { planAgentReply } from '../../shared/tickets/reply-ticket';
import { correctedCategory, planTicketUpdate } from '../../shared/tickets/update-ticket';
import { httpRoutes, json, parseJsonBody, parsePath, parseQuery } from '../lib/http';
import { PROVIDER_CHANNELS } from '../../shared/outbound/delivery';
import { logger } from '../lib/logger';
import { countingCrmStore, outboxStore, queue } from '../lib/services';

// Counting: a resolution or a reopening adds to the reporting counters in the same transaction.
const store = countingCrmStore();
const outbox = outboxStore();
const outbound = queue('outbound');

const listQuery = z.strictObject({
  status: z.enum(TICKET_STATUSES).default('open'),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(2048).optional(),
});
const queueQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(2048).optional(),
});
const ticketPath = z.object({ id: z.string().regex(/^tkt_[a-f0-9]{32}$/, 'is not a ticket id') });
const messagesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(100),
  cursor: z.string().max(2048).optional(),
});

/** Agent-reported handling time (communication efficiency's R): whole seconds, at most a working day. */
const timeSpentSeconds = z.number({ error: 'must be a number of seconds' }).int('must be whole seconds').min(1).max(28_800, 'must be at most 28800 (8 hours)').optional();

/** A client's id for a request: a retry with the same id is applied once. */
const clientRequestId = z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'must be 1–128 of A-Za-z0-9_.:-').optional();

const patchBody = z
  .strictObject({
    status: z.enum(TICKET_STATUSES).optional(),
    category: z.string().min(1).max(64).optional(),
    intent: z.string().min(1).max(64).optional(),
    assignee: z.string().min(1).max(128).nullable().optional(),
    timeSpentSeconds,
    clientRequestId,
  })
  .refine((b) => Object.keys(b).some((k) => k !== 'clientRequestId'), 'Give at least one of status, category, intent, assignee, timeSpentSeconds.');

const replyBody = z.strictObject({
  text: z.string().trim().min(1, 'must not be empty').max(5000),
  /** The client's id for this reply: a retry with the same id posts it once. */
  clientReplyId: clientRequestId,
  timeSpentSeconds,
});

const ratingBody = z.strictObject({
  score: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)], { error: 'must be a whole number from 1 to 5' }),
  comment: z.string().max(2000).optional(),
});

/** Agents' view of tickets. */
export const handler = httpRoutes({
  'GET /v1/tickets': async (event) => {
    const q = parseQuery(event, listQuery);
    const page = await store.listTickets(q.status, { limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}) });
    return json(200, { tickets: page.items, ...(page.next ? { next: page.next } : {}) });
  },
  'GET /v1/queue': async (event) => {
    const q = parseQuery(event, queueQuery);
    const page = await store.listQueue({ limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}) });
    return json(200, { tickets: page.items, ...(page.next ? { next: page.next } : {}) });
  },
  'PATCH /v1/tickets/{id}': async (event) => {
    const { id } = parsePath(event, ticketPath);
    const patch = parseJsonBody(event, patchBody, 16 * 1024);
    // Checked before any read: a bad category is a 400 whatever the ticket.
    const corrects = correctedCategory(patch) !== undefined;
    const ticket = await store.getTicket(id);
    if (!ticket) throw new NotFoundError(`No ticket ${id}`);
    // A category correction becomes a labelled example of the text the classifier saw.
    const first = corrects ? (await store.listTicketMessages(id, { limit: 1 })).items[0] : undefined;
    const plan = planTicketUpdate(ticket, patch, {
      now: new Date(),
      actor: event.requestContext.authorizer?.lambda?.keyId ?? 'unknown',
      ...(first ? { firstMessageText: first.text } : {}),
    });
    if ((await store.applyTicketUpdate(ticket, plan)) === 'replayed') {
      // The same clientRequestId was applied before (a retry after a lost answer): the ticket as it is now.
      return json(200, { ticket: (await store.getTicket(id)) ?? plan.ticket, replayed: true });
    }
    return json(200, { ticket: plan.ticket, ...(plan.label ? { labelledExample: true } : {}) });
  },
  'POST /v1/tickets/{id}/replies': async (event) => {
    const { id } = parsePath(event, ticketPath);
    const body = parseJsonBody(event, replyBody, 16 * 1024);
    const ticket = await store.getTicket(id);
    if (!ticket) throw new NotFoundError(`No ticket ${id}`);
    // Email and SMS answer the customer's latest message: its sender, our address, its Message-ID.
    const answering = PROVIDER_CHANNELS.has(ticket.channel) ? await outbox.replyContext(id) : undefined;
    const plan = planAgentReply(
      ticket,
      { text: body.text, requestId: body.clientReplyId ?? event.requestContext.requestId, answering, timeSpentSeconds: body.timeSpentSeconds },
      { now: new Date(), actor: event.requestContext.authorizer?.lambda?.keyId ?? 'unknown' },
    );
    const replayed = (await store.replyToTicket(ticket, plan)) === 'replayed';
    // After the write (again on a replay: deliveries are claimed, so it is sent once); if this send
    // is lost the reply stays queued and the sweeper sends it.
    if (plan.reply.delivery) {
      await outbound.send({ messageId: plan.reply.messageId }).catch((err: unknown) => logger.warn('reply not queued; the sweeper will', { messageId: plan.reply.messageId, error: err as Error }));
    }
    if (replayed) {
      // The reply as it was posted (and how far its delivery got), not as this retry planned it.
      const [now, posted] = await Promise.all([store.getTicket(id), store.getMessage(plan.reply.messageId)]);
      return json(200, { ticket: now ?? plan.ticket, reply: posted ?? plan.reply, replayed: true });
    }
    return json(201, { ticket: plan.ticket, reply: plan.reply });
  },
  'POST /v1/tickets/{id}/rating': async (event) => {
    const { id } = parsePath(event, ticketPath);
    const body = parseJsonBody(event, ratingBody, 8 * 1024);
    const ticket = await store.getTicket(id);
    if (!ticket) throw new NotFoundError(`No ticket ${id}`);
    const { rating, counters } = planRating(ticket, body, { now: new Date(), actor: event.requestContext.authorizer?.lambda?.keyId ?? 'unknown' });
    await store.rateTicket(ticket, rating, counters);
    return json(201, { ticket: { ...ticket, rating } });
  },
  'GET /v1/tickets/{id}': async (event) => {
    const { id } = parsePath(event, ticketPath);
    const q = parseQuery(event, messagesQuery);
    // Messages first, then the ticket: a message is attached in the same transaction that
    // updates the ticket, so a ticket read after the messages is never older than them
    // (read in the other order, a message routed in between showed with a stale messageCount).
    const messages = await store.listTicketMessages(id, { limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}) });
    const ticket = await store.getTicket(id);
    if (!ticket) throw new NotFoundError(`No ticket ${id}`);
    const customer = await store.getCustomer(ticket.customerId);
    return json(200, { ticket, customer: customer ?? null, messages: messages.items, ...(messages.next ? { next: messages.next } : {}) });
  },
});
