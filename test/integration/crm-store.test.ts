import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoApiKeyStore } from '../../shared/adapters/dynamo-api-key-store';
import { crmStores, type CrmStores } from '../../shared/adapters/crm-stores';
import { authenticateApiKey, createApiKey } from '../../shared/auth/api-keys';
import type { Classification, InboundMessage } from '../../shared/domain/message';
import { routeMessage } from '../../shared/routing/route-message';
import { planAgentReply } from '../../shared/tickets/reply-ticket';
import { planTicketUpdate } from '../../shared/tickets/update-ticket';
import { localDocumentClient } from './local-clients';
import { inboundMessage } from '../fixtures/inbound-message';

let store: CrmStores;
let keys: DynamoApiKeyStore;

beforeAll(() => {
  const env = inject('localEnv');
  const doc = localDocumentClient(env);
  store = crmStores({ tableName: env.CRM_TABLE!, reportingTableName: env.REPORTING_TABLE!, client: doc });
  keys = new DynamoApiKeyStore({ tableName: env.CRM_TABLE!, client: doc });
});

const classification = (urgency = 20, label: Classification['sentiment']['label'] = 'neutral'): Classification => ({
  language: { code: 'en', confidence: 0.9 },
  sentiment: { score: label === 'negative' ? -3 : 0, comparative: 0, label },
  urgency: { score: urgency, reasons: urgency > 50 ? ['urgent wording'] : [] },
});

const chatMessage = (session: string, text: string, at: string, extra: Partial<InboundMessage> = {}): InboundMessage =>
  inboundMessage({ thread: session, text, at }, extra);

const newSession = () => `it_${randomUUID().replaceAll('-', '')}`;

describe('CrmStores with routeMessage on DynamoDB Local', () => {
  it('stores a message once, opens a ticket, then appends the next message of the thread', async () => {
    const session = newSession();
    const first = chatMessage(session, 'My parcel never arrived', '2026-11-22T10:00:00.000Z', { fromName: 'Ana' });
    expect(await store.putInboundMessage(first)).toEqual({ created: true });
    const again = await store.putInboundMessage(first);
    expect(again.created).toBe(false);

    const opened = await routeMessage(store, { message: first, classification: classification(30) }, new Date());
    expect(opened.outcome).toBe('opened');
    if (opened.outcome !== 'opened') return;

    const second = chatMessage(session, 'This is URGENT, I need it today', '2026-11-22T10:05:00.000Z');
    await store.putInboundMessage(second);
    const appended = await routeMessage(store, { message: second, classification: classification(80, 'negative') }, new Date());
    expect(appended).toMatchObject({ outcome: 'appended', ticketId: opened.ticketId, customerId: opened.customerId });

    const ticket = await store.getTicket(opened.ticketId);
    expect(ticket).toMatchObject({ status: 'open', messageCount: 2, channel: 'chat', lastMessageAt: second.receivedAt });
    expect(ticket?.priority.score).toBe(90);
    const messages = await store.listTicketMessages(opened.ticketId, { limit: 10 });
    expect(messages.items.map((m) => m.text)).toEqual([first.text, second.text]);
    expect(messages.items.every((m) => m.status === 'routed' && m.classification)).toBe(true);
    const customer = await store.getCustomer(opened.customerId);
    expect(customer).toMatchObject({ name: 'Ana', identities: [{ channel: 'chat', address: session }] });
  });

  it('routes a redelivered message only once', async () => {
    const session = newSession();
    const m = chatMessage(session, 'hello', '2026-11-22T11:00:00.000Z');
    await store.putInboundMessage(m);
    const one = await routeMessage(store, { message: m, classification: classification() }, new Date());
    const two = await routeMessage(store, { message: m, classification: classification() }, new Date());
    expect(one.outcome).toBe('opened');
    expect(two.outcome).toBe('already-routed');
    if (one.outcome === 'opened') expect((await store.getTicket(one.ticketId))?.messageCount).toBe(1);
  });

  it('threads concurrent first messages of a new thread into one ticket', async () => {
    const session = newSession();
    const batch = Array.from({ length: 6 }, (_, i) => chatMessage(session, `msg ${i}`, `2026-11-22T12:00:0${i}.000Z`));
    for (const m of batch) await store.putInboundMessage(m);
    const results = await Promise.all(batch.map((m) => routeMessage(store, { message: m, classification: classification() }, new Date())));
    const ticketIds = new Set(results.map((r) => (r.outcome === 'already-routed' ? undefined : r.ticketId)));
    const customerIds = new Set(results.map((r) => (r.outcome === 'already-routed' ? undefined : r.customerId)));
    expect(ticketIds.size).toBe(1);
    expect(customerIds.size).toBe(1);
    const [ticketId] = [...ticketIds];
    const ticket = await store.getTicket(ticketId!);
    expect(ticket?.messageCount).toBe(6);
    // Each listed once, whichever worker's write got there first.
    expect(new Set(ticket?.messageIds).size).toBe(6);
    expect(ticket?.messageIds).toHaveLength(6);
  });

  it('recognises a visitor by email across chat sessions', async () => {
    const email = `ana.${randomUUID()}@example.com`;
    const a = chatMessage(newSession(), 'first visit', '2026-11-22T13:00:00.000Z', { alsoKnownAs: [{ channel: 'email', address: email }] });
    const b = chatMessage(newSession(), 'second visit', '2026-11-22T14:00:00.000Z', { alsoKnownAs: [{ channel: 'email', address: email }] });
    for (const m of [a, b]) await store.putInboundMessage(m);
    const ra = await routeMessage(store, { message: a, classification: classification() }, new Date());
    const rb = await routeMessage(store, { message: b, classification: classification() }, new Date());
    if (ra.outcome === 'already-routed' || rb.outcome === 'already-routed') throw new Error('unexpected');
    expect(rb.customerId).toBe(ra.customerId);
    expect(rb.ticketId).not.toBe(ra.ticketId); // a new session is a new conversation
    const customer = await store.getCustomer(ra.customerId);
    expect(customer?.identities).toHaveLength(3);
    expect(customer?.email).toBe(email);
  });

  it('pages the thread and the ticket list with cursors, and refuses a forged cursor', async () => {
    const session = newSession();
    // A thread lists routed messages (their tickets list them).
    for (let i = 0; i < 5; i++) {
      const m = chatMessage(session, `m${i}`, `2026-11-22T15:00:0${i}.000Z`);
      await store.putInboundMessage(m);
      await routeMessage(store, { message: m, classification: classification() }, new Date());
    }
    const first = await store.listThreadMessages('chat', session, { limit: 3 });
    expect(first.items.map((m) => m.text)).toEqual(['m0', 'm1', 'm2']);
    const rest = await store.listThreadMessages('chat', session, { limit: 3, cursor: first.next! });
    expect(rest.items.map((m) => m.text)).toEqual(['m3', 'm4']);
    await expect(store.listThreadMessages('chat', session, { limit: 3, cursor: 'garbage!' })).rejects.toThrow(/cursor/);
  });

  it('lists a chat thread across its tickets (the closed one first), replies included, and each ticket its own', async () => {
    const session = newSession();
    const first = chatMessage(session, 'first question', '2026-11-23T09:00:00.000Z');
    await store.putInboundMessage(first);
    const opened = await routeMessage(store, { message: first, classification: classification() }, new Date());
    if (opened.outcome !== 'opened') throw new Error('expected a new ticket');
    // An agent answers on chat, then closes the ticket.
    let ticket = (await store.getTicket(opened.ticketId))!;
    const answer = planAgentReply(ticket, { text: 'here is the answer', requestId: randomUUID() }, { now: new Date('2026-11-23T09:01:00.000Z'), actor: 'key_a' });
    await store.replyToTicket(ticket, answer);
    ticket = (await store.getTicket(opened.ticketId))!;
    await store.applyTicketUpdate(ticket, planTicketUpdate(ticket, { status: 'closed' }, { now: new Date('2026-11-23T09:02:00.000Z'), actor: 'key_a' }));
    // The visitor writes again: a new ticket on the same thread.
    const later = chatMessage(session, 'another question', '2026-11-23T10:00:00.000Z');
    await store.putInboundMessage(later);
    const next = await routeMessage(store, { message: later, classification: classification() }, new Date());
    if (next.outcome !== 'opened') throw new Error('expected a new ticket');
    expect(next.ticketId).not.toBe(opened.ticketId);

    const texts = async (page: Promise<{ items: Array<{ text: string }> }>) => (await page).items.map((m) => m.text);
    expect(await texts(store.listThreadMessages('chat', session, { limit: 10 }))).toEqual(['first question', 'here is the answer', 'another question']);
    expect(await texts(store.listTicketMessages(opened.ticketId, { limit: 10 }))).toEqual(['first question', 'here is the answer']);
    expect(await texts(store.listTicketMessages(next.ticketId, { limit: 10 }))).toEqual(['another question']);
    // Pages run across the tickets.
    const one = await store.listThreadMessages('chat', session, { limit: 2 });
    expect(await texts(store.listThreadMessages('chat', session, { limit: 2, cursor: one.next! }))).toEqual(['another question']);
    // A rerun of the routing lists nothing twice.
    await routeMessage(store, { message: later, classification: classification() }, new Date());
    expect((await store.getTicket(next.ticketId))?.messageIds).toEqual([later.messageId]);
  });

  it('lists messages pending routing before a time, and forgets them once routed', async () => {
    const session = newSession();
    const m = chatMessage(session, 'stuck?', '2001-01-01T00:00:00.000Z');
    await store.putInboundMessage(m);
    const pending = await store.listPendingMessages(new Date('2001-01-01T00:01:00Z'), 100);
    expect(pending.map((p) => p.message.messageId)).toContain(m.messageId);
    expect(pending.find((p) => p.message.messageId === m.messageId)?.message).toEqual(m);
    await store.markSwept(m.messageId);
    expect((await store.listPendingMessages(new Date('2001-01-01T00:01:00Z'), 100)).find((p) => p.message.messageId === m.messageId)?.sweepCount).toBe(1);
    await routeMessage(store, { message: m, classification: classification() }, new Date());
    const after = await store.listPendingMessages(new Date('2001-01-01T00:01:00Z'), 100);
    expect(after.map((p) => p.message.messageId)).not.toContain(m.messageId);
  });

  it('keeps API keys hashed and revocable', async () => {
    const { apiKey, secret } = await createApiKey(keys, { role: 'agent', name: `it-${randomUUID()}` }, new Date());
    expect(await authenticateApiKey(keys, secret)).toMatchObject({ id: apiKey.id });
    expect((await keys.list()).map((k) => k.id)).toContain(apiKey.id);
    await keys.revoke(apiKey.id, new Date());
    expect(await authenticateApiKey(keys, secret)).toBeUndefined();
    await expect(keys.revoke('key_missing', new Date())).rejects.toThrow(/No API key/);
  });
});
