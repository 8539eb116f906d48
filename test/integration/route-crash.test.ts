import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { crmStores, type CrmStores } from '../../shared/adapters/crm-stores';
import { DependencyError } from '../../shared/domain/errors';
import { rollUpMessages } from '../../shared/analytics/routing-counts';
import type { Classification, InboundMessage } from '../../shared/domain/message';
import type { SuggestFn } from '../../shared/knowledge/answer-plan';
import { answerSuggestion } from '../fixtures/answer-suggestion';
import { routeMessage } from '../../shared/routing/route-message';
import type { RoutingStore } from '../../shared/routing/routing-store';
import { planTicketUpdate } from '../../shared/tickets/update-ticket';
import { inboundMessage } from '../fixtures/inbound-message';
import { localDocumentClient } from './local-clients';

/**
 * Routing writes without a transaction, in an order a rerun can finish from (docs/architecture.md,
 * "Exactly once without transactions"). Here the worker dies right after each of its writes in
 * turn; the redelivery must leave the same result as an uninterrupted run: one ticket, the right
 * message count, one auto-reply, the message counted once. Then routing races itself (a
 * duplicate delivery) and an agent (a close between its writes).
 */
let store: CrmStores;
beforeAll(() => {
  const env = inject('localEnv');
  store = crmStores({ tableName: env.CRM_TABLE!, reportingTableName: env.REPORTING_TABLE!, client: localDocumentClient(env) });
});

const classification: Classification = {
  language: { code: 'en', confidence: 1 },
  sentiment: { score: 0, comparative: 0, label: 'neutral' },
  topic: { category: 'ORDER', intent: 'track_order', confidence: 0.9, outOfScope: false },
  urgency: { score: 10, reasons: [] },
};
const article = answerSuggestion();
const answering: SuggestFn = async () => [article];

/** The store, but the process dies right after `method`'s write succeeds (once). */
function dyingAfter(method: 'claimThread' | 'putReply' | 'markRouted' | 'putTicket'): RoutingStore {
  let died = false;
  return Object.assign(Object.create(store) as RoutingStore, {
    [method]: async (...args: unknown[]) => {
      const out = await (store[method] as (...a: unknown[]) => Promise<unknown>)(...args);
      if (!died) {
        died = true;
        throw new Error(`worker died after ${method}`);
      }
      return out;
    },
  });
}

async function threadOf(session: string) {
  return (await store.listThreadMessages('chat', session, { limit: 50 })).items;
}

/** What this message counts, as the rollup sums it (other messages of the same instant left out). */
async function countsOf(m: InboundMessage) {
  const cells = new Map<string, Record<string, number>>();
  await store.forEachCounted(m.receivedAt, new Date(Date.parse(m.receivedAt) + 1).toISOString(), (c) => {
    if (c.messageId === m.messageId) rollUpMessages([c], cells);
  });
  return [...cells.values()][0] ?? {};
}

describe('routing a message when the worker dies between its writes', () => {
  it.each(['claimThread', 'putReply', 'markRouted', 'putTicket'] as const)('finishes a new ticket on the redelivery after dying after %s', async (method) => {
    const session = `crash_${randomUUID().replaceAll('-', '')}`;
    const m = inboundMessage({ thread: session, text: 'Where is my order?', at: '2026-11-23T08:00:00.000Z' });
    await store.putInboundMessage(m);
    const now = new Date('2026-11-23T08:00:01.000Z');
    await expect(routeMessage(dyingAfter(method), { message: m, classification }, now, { suggest: answering })).rejects.toThrow(/worker died/);

    const again = await routeMessage(store, { message: m, classification }, now, { suggest: answering });
    const thread = await threadOf(session);
    expect(thread.map((x) => x.direction)).toEqual(['inbound', 'outbound']);
    const ticketId = thread[0]!.ticketId!;
    expect(thread[1]!.ticketId).toBe(ticketId);
    if (again.outcome !== 'already-routed') expect(again.ticketId).toBe(ticketId);
    expect(await store.getTicket(ticketId)).toMatchObject({ status: 'pending', messageCount: 2 });
    expect(await countsOf(m)).toMatchObject({ 'messagesIn@all': 1, 'ticketsOpened@all': 1, 'messagesOut@all': 1, 'firstResponseCount@all': 1 });

    // A third delivery changes nothing.
    expect(await routeMessage(store, { message: m, classification }, now, { suggest: answering })).toMatchObject({ outcome: 'already-routed' });
    expect(await threadOf(session)).toHaveLength(2);
    expect((await store.getTicket(ticketId))?.messageCount).toBe(2);
  });

  it.each(['markRouted', 'putTicket'] as const)('appends a follow-up once on the redelivery after dying after %s', async (method) => {
    const session = `crash_${randomUUID().replaceAll('-', '')}`;
    const first = inboundMessage({ thread: session, text: 'Hello', at: '2026-11-23T09:00:00.000Z' });
    await store.putInboundMessage(first);
    const opened = await routeMessage(store, { message: first, classification: { ...classification, topic: undefined } }, new Date('2026-11-23T09:00:01.000Z'));
    if (opened.outcome !== 'opened') throw new Error('not opened');

    const next = inboundMessage({ thread: session, text: 'Anyone there?', at: '2026-11-23T09:05:00.000Z' });
    await store.putInboundMessage(next);
    const now = new Date('2026-11-23T09:05:01.000Z');
    const plain = { ...classification, topic: undefined };
    await expect(routeMessage(dyingAfter(method), { message: next, classification: plain }, now)).rejects.toThrow(/worker died/);
    await routeMessage(store, { message: next, classification: plain }, now);
    await routeMessage(store, { message: next, classification: plain }, now);

    expect(await store.getTicket(opened.ticketId)).toMatchObject({ messageCount: 2, lastMessageAt: next.receivedAt });
    expect((await threadOf(session)).map((x) => x.ticketId)).toEqual([opened.ticketId, opened.ticketId]);
    expect(await countsOf(next)).toMatchObject({ 'messagesIn@all': 1 });
  });
});

/** The store with one method wrapped. */
const wrapped = <K extends keyof RoutingStore>(name: K, fn: RoutingStore[K]): RoutingStore => Object.assign(Object.create(store) as RoutingStore, { [name]: fn });

describe('routing races: a duplicate delivery, and an agent closing the ticket', () => {
  // No topic: nothing is auto-replied, so the ticket stays open.
  const plain = { ...classification, topic: undefined };
  it('a duplicate delivery that loses the routing write keeps the thread of the ticket the other opened', async () => {
    const session = `race_${randomUUID().replaceAll('-', '')}`;
    const m = inboundMessage({ thread: session, text: 'Where is my order?', at: '2026-11-24T08:00:00.000Z' });
    await store.putInboundMessage(m);
    const now = new Date('2026-11-24T08:00:01.000Z');
    let claimed!: () => void;
    const didClaim = new Promise<void>((r) => (claimed = r));
    let release!: () => void;
    const otherDone = new Promise<void>((r) => (release = r));
    // A claims the thread, then waits; B (the duplicate) sees the claim is its message's and opens that ticket.
    const a = routeMessage(
      Object.assign(Object.create(store) as RoutingStore, {
        claimThread: async (...args: Parameters<RoutingStore['claimThread']>) => {
          const ok = await store.claimThread(...args);
          claimed();
          return ok;
        },
        markRouted: async (r: Parameters<RoutingStore['markRouted']>[0]) => {
          await otherDone;
          return store.markRouted(r);
        },
      }),
      { message: m, classification: plain },
      now,
    );
    await didClaim;
    const b = await routeMessage(store, { message: m, classification: plain }, now);
    release();
    expect(await a).toMatchObject({ outcome: 'already-routed' });
    if (b.outcome !== 'opened') throw new Error(`B: ${b.outcome}`);
    // The thread still points at the ticket, so the next message joins it.
    expect((await store.findThreadTicket('chat', session))?.ticketId).toBe(b.ticketId);
    const next = inboundMessage({ thread: session, text: 'Hello?', at: '2026-11-24T08:01:00.000Z' });
    await store.putInboundMessage(next);
    expect(await routeMessage(store, { message: next, classification: plain }, new Date('2026-11-24T08:01:01.000Z'))).toMatchObject({ outcome: 'appended', ticketId: b.ticketId });
  });

  it('a message whose ticket an agent closes before its ticket write is routed again into a new ticket', async () => {
    const session = `race_${randomUUID().replaceAll('-', '')}`;
    const first = inboundMessage({ thread: session, text: 'Hello', at: '2026-11-24T09:00:00.000Z' });
    await store.putInboundMessage(first);
    const opened = await routeMessage(store, { message: first, classification: plain }, new Date('2026-11-24T09:00:01.000Z'));
    if (opened.outcome !== 'opened') throw new Error('not opened');

    const next = inboundMessage({ thread: session, text: 'Are you there?', at: '2026-11-24T09:05:00.000Z' });
    await store.putInboundMessage(next);
    const now = new Date('2026-11-24T09:05:01.000Z');
    // Between the message's routing write and its ticket write, an agent closes the ticket.
    const closing = wrapped('putTicket', async (ticket, previous) => {
      const current = (await store.getTicket(ticket.ticketId))!;
      if (current.status !== 'closed') await store.applyTicketUpdate(current, planTicketUpdate(current, { status: 'closed' }, { now: new Date('2026-11-24T09:05:01.500Z'), actor: 'key_agent' }));
      return store.putTicket(ticket, previous);
    });
    await expect(routeMessage(closing, { message: next, classification: plain }, now)).rejects.toThrow(DependencyError);
    expect(await store.getMessage(next.messageId)).toMatchObject({ status: 'received' });

    const again = await routeMessage(store, { message: next, classification: plain }, new Date('2026-11-24T09:05:31.000Z'));
    if (again.outcome !== 'opened') throw new Error(`rerun: ${again.outcome}`);
    expect(again.ticketId).not.toBe(opened.ticketId);
    expect(await store.getTicket(opened.ticketId)).toMatchObject({ status: 'closed', messageCount: 1 });
    expect(await store.getTicket(again.ticketId)).toMatchObject({ status: 'open', messageCount: 1 });
    expect((await store.listTicketMessages(again.ticketId, { limit: 10 })).items.map((x) => x.messageId)).toEqual([next.messageId]);
    expect((await store.listTicketMessages(opened.ticketId, { limit: 10 })).items.map((x) => x.messageId)).toEqual([first.messageId]);
  });
});
