import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../domain/errors';
import type { TicketRating } from '../tickets/rate-ticket';
import type { TicketUpdatePlan } from '../tickets/update-ticket';
import type { CounterIncrement } from '../analytics/counters';
import type { Channel } from '../domain/message';
import type { StoredMessage, Ticket, TicketStatus } from '../domain/ticket';
import type { OutboundReply } from '../domain/ticket';
import type { Page } from '../lib/page';
import type { RoutingStore } from '../routing/routing-store';
import type { TicketStore } from '../tickets/ticket-store';
import { keys, QUEUED_STATUSES, timeKey } from './crm-keys';
import { CrmAdapter, type PageQuery } from './crm-table';
import { failedConditions, isConditionFailure, translate } from './dynamo-errors';
import { outboundMessageItem, toTicket, ticketItem } from './crm-items';
import { messagesPage, ticketMessageIds } from './crm-threads';
import { reportingWrites } from './reporting-keys';


/** How long a ticket change's client request id is remembered (retries come within minutes). */
const REQUEST_MEMORY_SECONDS = 2 * 86_400;

/**
 * Tickets in the crm table (keys: crm-keys.ts): a thread's open-ticket pointer, routing's
 * conditional ticket writes, agents' changes, replies and ratings, and the work lists.
 */
export class DynamoTicketStore extends CrmAdapter implements TicketStore, Pick<RoutingStore, 'getTicket' | 'findThreadTicket' | 'claimThread' | 'putTicket'> {
  async findThreadTicket(channel: Channel, threadKey: string, opts: { consistent?: boolean } = {}): Promise<{ ticketId: string; openedBy?: string; ticket?: Ticket } | undefined> {
    const consistent = opts.consistent ?? true;
    const pointer = await this.crm.get(keys.threadTickets(channel, threadKey), 'find the open ticket', consistent);
    if (!pointer?.ticketId) return undefined;
    const ticketId = String(pointer.ticketId);
    const item = await this.crm.get(keys.ticket(ticketId), 'read the ticket', consistent);
    const ticket = item ? toTicket(item) : undefined;
    // A closed ticket frees its thread (its close moves it to the closed ones); one left behind is ignored.
    if (ticket?.status === 'closed') return undefined;
    return { ticketId, ...(pointer.openedBy ? { openedBy: String(pointer.openedBy) } : {}), ...(ticket ? { ticket } : {}) };
  }

  claimThread(channel: Channel, threadKey: string, ticketId: string, openedBy: string): Promise<boolean> {
    return this.crm.updateIf(
      {
        Key: keys.threadTickets(channel, threadKey),
        UpdateExpression: 'SET #type = :type, ticketId = :id, openedBy = :by',
        // No open ticket (the thread's closed ones stay listed on the item).
        ConditionExpression: 'attribute_not_exists(ticketId)',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':type': 'thread-tickets', ':id': ticketId, ':by': openedBy },
      },
      'claim the thread',
    );
  }

  async releaseThread(channel: Channel, threadKey: string, ticketId: string): Promise<void> {
    await this.crm.updateIf({ Key: keys.threadTickets(channel, threadKey), UpdateExpression: 'REMOVE ticketId, openedBy', ConditionExpression: 'ticketId = :id', ExpressionAttributeValues: { ':id': ticketId } }, 'release the thread');
  }

  async putTicket(ticket: Ticket, previousUpdatedAt?: string): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: ticketItem(ticket),
          // New: not there yet. Otherwise as read (agents write it too; every write moves updatedAt on).
          ConditionExpression: previousUpdatedAt === undefined ? 'attribute_not_exists(pk)' : 'updatedAt = :prev',
          ...(previousUpdatedAt === undefined ? {} : { ExpressionAttributeValues: { ':prev': previousUpdatedAt } }),
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      return translate(err, 'write the ticket');
    }
  }

  async replyToTicket(previous: Ticket, plan: { ticket: Ticket; reply: OutboundReply; counters: CounterIncrement }): Promise<'applied' | 'replayed'> {
    const item = outboundMessageItem(plan.reply, { ticketId: plan.ticket.ticketId, customerId: plan.ticket.customerId, routedAt: plan.reply.sentAt });
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            // As in applyTicketUpdate: the ticket is as the agent read it (routing writes it too).
            { Put: { TableName: this.table, Item: ticketItem(plan.ticket), ConditionExpression: 'updatedAt = :prev', ExpressionAttributeValues: { ':prev': previous.updatedAt } } },
            { Put: { TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
            ...reportingWrites(this.reportingTable, plan.counters),
          ] as never,
        }),
      );
      return 'applied';
    } catch (err) {
      const failed = failedConditions(err);
      // The reply's id comes from the client's reply id: it exists, so this is a retry of a posted reply.
      if (failed?.includes(1)) return 'replayed';
      if (failed?.length) throw new ConflictError('The ticket changed since it was read; read it again and retry.');
      return translate(err, 'reply to the ticket');
    }
  }

  async applyTicketUpdate(previous: Ticket, plan: TicketUpdatePlan): Promise<'applied' | 'replayed'> {
    const t = plan.ticket;
    const writes: object[] = [
      {
        Put: {
          TableName: this.table,
          Item: ticketItem(t),
          // Optimistic concurrency: the ticket is as the caller read it (routing also writes it).
          ConditionExpression: 'updatedAt = :prev',
          ExpressionAttributeValues: { ':prev': previous.updatedAt },
        },
      },
    ];
    if (t.status === 'closed' && previous.status !== 'closed') {
      // Closed is final: free the thread, so the customer's next message opens a new ticket; the
      // thread keeps listing it among its closed ones (the visitor's view reads them).
      writes.push({
        Update: {
          TableName: this.table,
          Key: keys.threadTickets(t.channel, t.threadKey),
          UpdateExpression: 'SET #type = :type, closedTickets = list_append(if_not_exists(closedTickets, :none), :closed) REMOVE ticketId, openedBy',
          ConditionExpression: 'attribute_not_exists(pk) OR ticketId = :id',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: { ':id': t.ticketId, ':type': 'thread-tickets', ':none': [], ':closed': [t.ticketId] },
        },
      });
    }
    if (plan.label) {
      const l = plan.label;
      writes.push({
        Put: { TableName: this.table, Item: { ...keys.label(l.ticketId), type: 'label', ...l, gsi1pk: keys.labels, gsi1sk: timeKey(l.correctedAt, l.ticketId) } },
      });
    }
    // Second, so its index is known: a retry of the same request fails here and writes nothing.
    if (plan.clientRequestId) {
      const expiresAt = Math.floor(Date.parse(t.updatedAt) / 1000) + REQUEST_MEMORY_SECONDS;
      writes.splice(1, 0, { Put: { TableName: this.table, Item: { ...keys.ticketRequest(t.ticketId, plan.clientRequestId), type: 'ticket-request', expiresAt }, ConditionExpression: 'attribute_not_exists(pk)' } });
    }
    writes.push(...reportingWrites(this.reportingTable, plan.counters), ...reportingWrites(this.reportingTable, plan.correction));
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: writes as never }));
      return 'applied';
    } catch (err) {
      const failed = failedConditions(err);
      if (plan.clientRequestId && failed?.includes(1)) return 'replayed';
      if (failed?.length) throw new ConflictError('The ticket changed since it was read; read it again and retry.');
      return translate(err, 'update the ticket');
    }
  }

  async rateTicket(ticket: Ticket, rating: TicketRating, counters: CounterIncrement): Promise<void> {
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: keys.ticket(ticket.ticketId),
                UpdateExpression: 'SET rating = :r',
                // Once: a second rating would count twice in every rating KPI.
                ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(rating)',
                ExpressionAttributeValues: { ':r': rating },
              },
            },
            ...reportingWrites(this.reportingTable, counters),
          ] as never,
        }),
      );
    } catch (err) {
      if (failedConditions(err)?.length) throw new ConflictError('This ticket is already rated; a ticket takes one rating.');
      translate(err, 'rate the ticket');
    }
  }

  async getTicket(ticketId: string): Promise<Ticket | undefined> {
    const item = await this.crm.get(keys.ticket(ticketId), 'read the ticket');
    return item ? toTicket(item) : undefined;
  }

  /** A ticket's messages, in the order they were attached (the ticket lists them). */
  async listTicketMessages(ticketId: string, opts: { limit: number; cursor?: string }): Promise<Page<StoredMessage>> {
    const { ids } = await ticketMessageIds(this.crm, ticketId);
    return messagesPage(this.crm, ids, opts);
  }

  /** Open and pending: in queue order; solved and closed: newest activity first. */
  async listTickets(status: TicketStatus, opts: { limit: number; cursor?: string }): Promise<Page<Ticket>> {
    const queued = QUEUED_STATUSES.has(status);
    return this.ticketPage({ index: 'gsi3', pk: queued ? keys.queue : keys.ticketsByStatus(status), forward: queued, ...(queued ? { equals: { status } } : {}), ...opts });
  }

  listQueue(opts: { limit: number; cursor?: string }): Promise<Page<Ticket>> {
    return this.ticketPage({ index: 'gsi3', pk: keys.queue, ...opts });
  }

  /** The work index holds a ticket's keys and list fields only: the page's tickets are read by key, in index order. */
  private async ticketPage(q: PageQuery): Promise<Page<Ticket>> {
    const page = await this.crm.page(q, 'list tickets');
    const full = await this.crm.getInOrder(page.items.map((i) => ({ pk: String(i.pk), sk: String(i.sk) })), 'read the listed tickets');
    return { items: full.flatMap((t) => (t ? [toTicket(t)] : [])), ...(page.next ? { next: page.next } : {}) };
  }
}
