import * as z from 'zod';
import { NotFoundError } from '../../shared/domain/errors';
import { TICKET_STATUSES } from '../../shared/domain/ticket';
import { httpRoutes, json, parsePath, parseQuery } from '../lib/http';
import { crmStore } from '../lib/services';

const store = crmStore();

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
  'GET /v1/tickets/{id}': async (event) => {
    const { id } = parsePath(event, ticketPath);
    const q = parseQuery(event, messagesQuery);
    const ticket = await store.getTicket(id);
    if (!ticket) throw new NotFoundError(`No ticket ${id}`);
    const [customer, messages] = await Promise.all([
      store.getCustomer(ticket.customerId),
      store.listTicketMessages(id, { limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}) }),
    ]);
    return json(200, { ticket, customer: customer ?? null, messages: messages.items, ...(messages.next ? { next: messages.next } : {}) });
  },
});
