import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../domain/errors';
import type { TicketRating } from '../tickets/rate-ticket';
import type { LabelledExample, TicketUpdatePlan } from '../tickets/update-ticket';
import type { CounterIncrement } from '../analytics/counters';
import type { Channel, InboundMessage } from '../domain/message';
import type { Customer, StoredMessage, Ticket, TicketStatus } from '../domain/ticket';
import type { AttachResult, CrmStore, OutboundReply, Page, PutMessageResult, RoutedMessage } from '../ports/crm-store';
import { encodeCursor, keys, timeKey, startKeyOf } from './crm-keys';
import { createDocumentClient } from './dynamo-client';
import { failedConditions, isConditionFailure, translate } from './dynamo-errors';
import { outboundMessageItem, toCustomer, toMessage, toTicket, ticketItem } from './crm-items';
import { textSampleItem } from '../analytics/text-samples';
import { counterUpdates, reportingKeys } from './reporting-keys';
import type { CustomerTier, CustomerTierFacts, ModelTier } from '../customers/customer-tier';
import type { CustomerTierChange, ShopCustomerLink } from '../customers/update-customer';
import { CustomerTierTable } from './dynamo-customer-tier';

/** How long a ticket change's client request id is remembered (retries come within minutes). */
const REQUEST_MEMORY_SECONDS = 2 * 86_400;


/** The crm single table behind the CrmStore port. Layout: see crm-keys.ts. */
export class DynamoCrmStore implements CrmStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly reportingTable: string | undefined;
  /** `reportingTableName`: where routing's counters go (needed only by writers that count). */
  constructor(opts: { tableName: string; reportingTableName?: string; client?: DynamoDBDocumentClient }) {
    this.doc = opts.client ?? createDocumentClient();
    this.table = opts.tableName;
    this.reportingTable = opts.reportingTableName;
  }

  /** The text sample (need analysis) that rides along the routing transaction. */
  private textSampleWrites(sample: RoutedMessage['textSample']): object[] {
    if (!sample) return [];
    if (!this.reportingTable) throw new Error('A text sample was given but the store has no reporting table (REPORTING_TABLE binding missing)');
    const { day, shard, sort, item } = textSampleItem(sample);
    return [{ Put: { TableName: this.reportingTable, Item: { pk: reportingKeys.textSamples(day, shard), sk: sort, type: 'text-sample', ...item } } }];
  }

  /** The counter updates that ride along a transaction (none when nothing is counted). */
  private counterWrites(counters: RoutedMessage['counters']): object[] {
    if (!counters) return [];
    if (!this.reportingTable) throw new Error('Counters were given but the store has no reporting table (REPORTING_TABLE binding missing)');
    return counterUpdates(this.reportingTable, counters);
  }

  async putInboundMessage(message: InboundMessage): Promise<PutMessageResult> {
    const item = {
      ...keys.message(message.messageId),
      type: 'message',
      direction: 'inbound',
      status: 'received',
      ...message,
      gsi1pk: keys.thread(message.channel, message.threadKey),
      gsi1sk: timeKey(message.receivedAt, message.messageId),
      gsi3pk: keys.pending,
      gsi3sk: timeKey(message.receivedAt, message.messageId),
    };
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { created: true };
    } catch (err) {
      if (isConditionFailure(err)) {
        const old = await this.getRaw(message.messageId);
        if (old) return { created: false, existing: toMessage(old) };
      }
      return translate(err, 'store the message');
    }
  }

  async getMessage(messageId: string): Promise<StoredMessage | undefined> {
    const item = await this.getRaw(messageId);
    return item ? toMessage(item) : undefined;
  }

  private async getRaw(messageId: string): Promise<Record<string, unknown> | undefined> {
    try {
      const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.message(messageId), ConsistentRead: true }));
      return out.Item;
    } catch (err) {
      return translate(err, 'read the message');
    }
  }

  listThreadMessages(channel: Channel, threadKey: string, opts: { limit: number; cursor?: string }): Promise<Page<StoredMessage>> {
    return this.queryPage('gsi1', keys.thread(channel, threadKey), opts, toMessage);
  }

  async findIdentities(identities: Array<{ channel: Channel; address: string }>): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    if (identities.length === 0) return found;
    try {
      const out = await this.doc.send(
        new BatchGetCommand({
          RequestItems: {
            [this.table]: { Keys: identities.map((i) => keys.identity(i.channel, i.address)), ConsistentRead: true },
          },
        }),
      );
      for (const item of out.Responses?.[this.table] ?? []) {
        found.set(`${item.channel}#${item.address}`, String(item.customerId));
      }
      // A handful of small keys never comes back unprocessed short of throttling; retry is the queue's job.
      if (Object.keys(out.UnprocessedKeys ?? {}).length) throw new Error('identity lookup throttled');
    } catch (err) {
      translate(err, 'look up identities');
    }
    return found;
  }

  async linkIdentities(
    customer: Pick<Customer, 'customerId' | 'name' | 'email'>,
    identities: Array<{ channel: Channel; address: string }>,
    now: Date,
  ): Promise<Map<string, string>> {
    const at = now.toISOString();
    const names: Record<string, string> = { '#u': 'updatedAt', '#c': 'createdAt', '#t': 'type', '#id': 'customerId' };
    const values: Record<string, unknown> = { ':now': at, ':t': 'customer', ':id': customer.customerId, ':ids': identities };
    let set = '#u = :now, #c = if_not_exists(#c, :now), #t = :t, #id = :id';
    if (customer.name) (set += ', #n = :n'), (names['#n'] = 'name'), (values[':n'] = customer.name);
    if (customer.email) (set += ', #e = if_not_exists(#e, :e)'), (names['#e'] = 'email'), (values[':e'] = customer.email);
    set += ', identities = list_append(if_not_exists(identities, :empty), :ids)';
    values[':empty'] = [];
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            ...identities.map((i) => ({
              Put: {
                TableName: this.table,
                Item: { ...keys.identity(i.channel, i.address), type: 'identity', ...i, customerId: customer.customerId, createdAt: at },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            })),
            {
              Update: {
                TableName: this.table,
                Key: keys.customer(customer.customerId),
                UpdateExpression: `SET ${set}`,
                ExpressionAttributeNames: names,
                ExpressionAttributeValues: values,
              },
            },
          ],
        }),
      );
      return new Map();
    } catch (err) {
      const failed = failedConditions(err);
      if (!failed?.length) return translate(err, 'link identities');
      // Another writer linked some of these first: report who owns them.
      const taken = failed.flatMap((i) => (identities[i] ? [identities[i]] : []));
      return this.findIdentities(taken);
    }
  }

  async getCustomer(customerId: string): Promise<Customer | undefined> {
    try {
      const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.customer(customerId) }));
      return out.Item ? toCustomer(out.Item) : undefined;
    } catch (err) {
      return translate(err, 'read the customer');
    }
  }

  async findOpenTicket(channel: Channel, threadKey: string): Promise<Ticket | undefined> {
    try {
      const pointer = await this.doc.send(
        new GetCommand({ TableName: this.table, Key: keys.openTicket(channel, threadKey), ConsistentRead: true }),
      );
      if (!pointer.Item) return undefined;
      const ticket = await this.getTicket(String(pointer.Item.ticketId));
      return ticket && ticket.status !== 'closed' ? ticket : undefined;
    } catch (err) {
      return translate(err, 'find the open ticket');
    }
  }

  async openTicketWithMessage(ticket: Ticket, message: RoutedMessage): Promise<AttachResult> {
    return this.attach(
      [
        {
          Put: {
            TableName: this.table,
            Item: { ...keys.openTicket(ticket.channel, ticket.threadKey), type: 'open-ticket', ticketId: ticket.ticketId },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        { Put: { TableName: this.table, Item: ticketItem(ticket) } },
      ],
      message,
      'open a ticket',
    );
  }

  async appendMessage(ticket: Ticket, message: RoutedMessage, readStatus: TicketStatus): Promise<AttachResult> {
    const item = ticketItem(ticket);
    // Status and its index keys go along: a message on a solved ticket reopens it.
    const values: Record<string, unknown> = {
      ':u': ticket.updatedAt,
      ':l': ticket.lastMessageAt,
      ':p': ticket.lastMessagePreview,
      ':pr': ticket.priority,
      ':s': ticket.sentiment,
      ':st': ticket.status,
      ':g1p': item.gsi1pk,
      ':g': item.gsi1sk,
      ':one': 1,
      ':read': readStatus,
    };
    let set = 'updatedAt = :u, lastMessageAt = :l, lastMessagePreview = :p, priority = :pr, sentiment = :s, #st = :st, gsi1pk = :g1p, gsi1sk = :g';
    if (item.gsi3sk) {
      set += ', gsi3pk = :q3p, gsi3sk = :q';
      Object.assign(values, { ':q3p': item.gsi3pk, ':q': item.gsi3sk });
    }
    // The latest message's suggestion replaces the previous one (or removes it when there is none).
    const removed = ticket.resolvedAt === undefined ? ['resolvedAt', 'outcomeCounted'] : [];
    if (ticket.suggestedAnswer) (set += ', suggestedAnswer = :sa'), (values[':sa'] = ticket.suggestedAnswer);
    else removed.push('suggestedAnswer');
    if (ticket.firstResponseAt) (set += ', firstResponseAt = if_not_exists(firstResponseAt, :fr)'), (values[':fr'] = ticket.firstResponseAt);
    // An auto-reply is a message of the ticket too.
    if (message.reply) values[':one'] = 2;
    const remove = removed.length ? ` REMOVE ${removed.join(', ')}` : '';
    return this.attach(
      [
        {
          Update: {
            TableName: this.table,
            Key: keys.ticket(ticket.ticketId),
            UpdateExpression: `SET ${set}${remove} ADD messageCount :one`,
            // Only the status as read: concurrent messages on one ticket still commute (ADD, SET of their own fields).
            ConditionExpression: 'attribute_exists(pk) AND #st = :read',
            ExpressionAttributeNames: { '#st': 'status' },
            ExpressionAttributeValues: values,
          },
        },
      ],
      message,
      'append to the ticket',
    );
  }

  /** Runs the ticket writes and the message's routing in one transaction (never half-written). */
  private async attach(ticketWrites: object[], m: RoutedMessage, what: string): Promise<AttachResult> {
    const messageUpdate = {
      Update: {
        TableName: this.table,
        Key: keys.message(m.messageId),
        UpdateExpression:
          `SET #st = :routed, ticketId = :t, customerId = :c, classification = :cl, priority = :pr, routedAt = :ra, gsi2pk = :g2, gsi2sk = :g2s${m.suggestions ? ', suggestions = :sg' : ''} REMOVE gsi3pk, gsi3sk`,
        ConditionExpression: '#st = :received',
        ExpressionAttributeNames: { '#st': 'status' },
        ExpressionAttributeValues: {
          ':routed': 'routed',
          ':received': 'received',
          ':t': m.ticketId,
          ':c': m.customerId,
          ':cl': m.classification,
          ':pr': m.priority,
          ':ra': m.routedAt,
          ':g2': keys.ticketMessages(m.ticketId),
          ':g2s': timeKey(m.receivedAt, m.messageId),
          ...(m.suggestions ? { ':sg': m.suggestions } : {}),
        },
      },
    };
    try {
      // Counters go last, so failed-condition indexes of the ticket writes and the message stay as they are.
      const items = [...ticketWrites, messageUpdate, ...this.replyWrites(m), ...this.counterWrites(m.counters), ...this.counterWrites(m.correction), ...this.textSampleWrites(m.textSample)];
      await this.doc.send(new TransactWriteCommand({ TransactItems: items as never }));
      return 'attached';
    } catch (err) {
      const failed = failedConditions(err);
      if (!failed?.length) return translate(err, what);
      // The reply exists only if this message was routed before (its id comes from the message's).
      if (failed.includes(ticketWrites.length) || (m.reply && failed.includes(ticketWrites.length + 1))) return 'already-routed';
      return 'thread-taken';
    }
  }

  /** The auto-reply's message item, created once (its id comes from the inbound message's). */
  private replyWrites(m: RoutedMessage): object[] {
    if (!m.reply) return [];
    const item = outboundMessageItem(m.reply, { ticketId: m.ticketId, customerId: m.customerId, routedAt: m.routedAt });
    return [{ Put: { TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } }];
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
            ...this.counterWrites(plan.counters),
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
      // Closed is final: free the thread, so the customer's next message opens a new ticket.
      writes.push({
        Delete: {
          TableName: this.table,
          Key: keys.openTicket(t.channel, t.threadKey),
          ConditionExpression: 'attribute_not_exists(pk) OR ticketId = :id',
          ExpressionAttributeValues: { ':id': t.ticketId },
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
    writes.push(...this.counterWrites(plan.counters), ...this.counterWrites(plan.correction));
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
            ...this.counterWrites(counters),
          ] as never,
        }),
      );
    } catch (err) {
      if (failedConditions(err)?.length) throw new ConflictError('This ticket is already rated; a ticket takes one rating.');
      translate(err, 'rate the ticket');
    }
  }

  async listLabelledExamples(opts: { limit: number; cursor?: string }): Promise<Page<LabelledExample>> {
    return this.queryPage('gsi1', keys.labels, opts, (item) => {
      const { pk, sk, type, gsi1pk, gsi1sk, ...rest } = item;
      return rest as unknown as LabelledExample;
    });
  }

  async getTicket(ticketId: string): Promise<Ticket | undefined> {
    try {
      const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.ticket(ticketId), ConsistentRead: true }));
      return out.Item ? toTicket(out.Item) : undefined;
    } catch (err) {
      return translate(err, 'read the ticket');
    }
  }

  listTicketMessages(ticketId: string, opts: { limit: number; cursor?: string }): Promise<Page<StoredMessage>> {
    return this.queryPage('gsi2', keys.ticketMessages(ticketId), opts, toMessage);
  }

  listTickets(status: TicketStatus, opts: { limit: number; cursor?: string }): Promise<Page<Ticket>> {
    // Newest activity first.
    return this.queryPage('gsi1', keys.ticketsByStatus(status), opts, toTicket, false);
  }

  listQueue(opts: { limit: number; cursor?: string }): Promise<Page<Ticket>> {
    return this.queryPage('gsi3', keys.queue, opts, toTicket, true);
  }

  async listPendingMessages(before: Date, limit: number): Promise<Array<{ message: InboundMessage; sweepCount: number }>> {
    const page = await this.queryPage('gsi3', keys.pending, { limit }, (item) => item, true, before.toISOString());
    return page.items.map((item) => ({ message: toInboundMessage(item), sweepCount: Number(item.sweepCount ?? 0) }));
  }

  markSwept(messageId: string): Promise<void> {
    return this.updatePending(messageId, 'ADD sweepCount :v', 1);
  }

  markStuck(messageId: string): Promise<void> {
    return this.updatePending(messageId, 'SET gsi3pk = :v', keys.stuck);
  }

  // ---- Customer tier and shop-customer link: items and writes in dynamo-customer-tier.ts ----
  private tierTable?: CustomerTierTable;
  private get tiers(): CustomerTierTable {
    return (this.tierTable ??= new CustomerTierTable(this.doc, this.table));
  }
  getCustomerTier(customerId: string): Promise<CustomerTier | undefined> {
    return this.tiers.getTier(customerId);
  }
  getCustomerWithTier(customerId: string): Promise<{ customer: Customer; tier: CustomerTierFacts } | undefined> {
    return this.tiers.getWithTier(customerId);
  }
  updateCustomerTier(change: CustomerTierChange): Promise<void> {
    return this.tiers.update(change);
  }
  listShopCustomerLinks(opts: { limit: number; cursor?: string }): Promise<Page<ShopCustomerLink>> {
    return this.tiers.listLinks(opts);
  }
  setModelTier(link: ShopCustomerLink, modelTier: ModelTier): Promise<boolean> {
    return this.tiers.setModelTier(link, modelTier);
  }
  // ---- end customer tier ----

  /** Updates a message only while it is still unrouted (routing removes gsi3pk). */
  private async updatePending(messageId: string, expression: string, value: unknown): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.message(messageId),
          UpdateExpression: expression,
          ConditionExpression: 'attribute_exists(gsi3pk)',
          ExpressionAttributeValues: { ':v': value },
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) translate(err, 'update the pending message');
    }
  }

  private async queryPage<T>(
    index: 'gsi1' | 'gsi2' | 'gsi3',
    pk: string,
    opts: { limit: number; cursor?: string },
    map: (item: Record<string, unknown>) => T,
    forward = true,
    sortBefore?: string,
  ): Promise<Page<T>> {
    const start = startKeyOf(opts.cursor);
    try {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: index,
          KeyConditionExpression: sortBefore ? '#pk = :pk AND #sk < :before' : '#pk = :pk',
          ExpressionAttributeNames: { '#pk': `${index}pk`, ...(sortBefore ? { '#sk': `${index}sk` } : {}) },
          ExpressionAttributeValues: { ':pk': pk, ...(sortBefore ? { ':before': sortBefore } : {}) },
          ScanIndexForward: forward,
          Limit: opts.limit,
          ExclusiveStartKey: start,
        }),
      );
      return { items: (out.Items ?? []).map(map), next: encodeCursor(out.LastEvaluatedKey) };
    } catch (err) {
      return translate(err, 'query');
    }
  }
}

function toInboundMessage(item: Record<string, unknown>): InboundMessage {
  const { pk, sk, type, direction, status, gsi1pk, gsi1sk, gsi3pk, gsi3sk, sweepCount, ...rest } = item;
  return rest as unknown as InboundMessage;
}
