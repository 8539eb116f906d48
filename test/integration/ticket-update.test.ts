import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { crmStores, type CrmStores } from '../../shared/adapters/crm-stores';
import { DynamoReportingStore } from '../../shared/adapters/dynamo-reporting-store';
import { sumCounters } from '../../shared/analytics/counters';
import { rollUpMessages } from '../../shared/analytics/routing-counts';
import { ConflictError } from '../../shared/domain/errors';
import type { Classification } from '../../shared/domain/message';
import { routeMessage } from '../../shared/routing/route-message';
import { planTicketUpdate } from '../../shared/tickets/update-ticket';
import { localDocumentClient } from './local-clients';
import { inboundMessage } from '../fixtures/inbound-message';

let store: CrmStores;
let reporting: DynamoReportingStore;

beforeAll(() => {
  const env = inject('localEnv');
  const doc = localDocumentClient(env);
  store = crmStores({ tableName: env.CRM_TABLE!, reportingTableName: env.REPORTING_TABLE!, client: doc });
  reporting = new DynamoReportingStore({ tableName: env.REPORTING_TABLE!, client: doc });
});

const classification: Classification = {
  language: { code: 'en', confidence: 0.9 },
  sentiment: { score: 0, comparative: 0, label: 'neutral' },
  urgency: { score: 10, reasons: [] },
};

async function deliver(thread: string, text: string, at: string) {
  const message = inboundMessage({ thread, text: text, at });
  await store.putInboundMessage(message);
  const out = await routeMessage(store, { message, classification }, new Date(at));
  if (out.outcome === 'already-routed') throw new Error('unexpected redelivery');
  return out;
}

/**
 * A UTC day's counters: what agents' writes added to the reporting table, plus what the routed
 * messages of that day and the next two count (corrections land on earlier days), as the
 * KPI job's rollup would sum them.
 */
async function countersOf(day: string) {
  const cells = new Map<string, Record<string, number>>();
  const end = new Date(Date.parse(`${day}T00:00:00.000Z`) + 3 * 86_400_000).toISOString();
  await store.forEachCounted(`${day}T00:00:00.000Z`, end, (m) => rollUpMessages([m], cells));
  const live = [...cells].filter(([hour]) => hour.startsWith(day)).map(([hour, c]) => ({ hour, ...c }));
  return sumCounters([...(await reporting.readCounterDay(day)), ...live]);
}

/** Whether a ticket is anywhere in the queue (every page: other tests share the table). */
async function inQueue(ticketId: string): Promise<boolean> {
  let cursor: string | undefined;
  do {
    const page = await store.listQueue({ limit: 100, ...(cursor ? { cursor } : {}) });
    if (page.items.some((t) => t.ticketId === ticketId)) return true;
    cursor = page.next;
  } while (cursor);
  return false;
}

describe('agents updating tickets on DynamoDB Local', () => {
  const year = 2100 + Math.floor(Math.random() * 800);
  const thread = `upd_${randomUUID().replaceAll('-', '')}`;

  it('solves (counted), reopens on a customer reply, closes for good, and keeps the correction as a labelled example', async () => {
    const first = await deliver(thread, 'I want my money back for order 12', `${year}-05-01T09:00:00.000Z`);
    expect(first.outcome).toBe('opened');
    const id = first.ticketId;

    const read = async () => (await store.getTicket(id))!;
    let ticket = await read();
    const correction = planTicketUpdate(ticket, { intent: 'get_refund', status: 'solved' }, {
      now: new Date(`${year}-05-01T10:00:00.000Z`),
      actor: 'key_a',
      firstMessageText: 'I want my money back for order 12',
    });
    await store.applyTicketUpdate(ticket, correction);
    // A second writer holding the old copy loses: 409, nothing half-written.
    await expect(store.applyTicketUpdate(ticket, planTicketUpdate(ticket, { status: 'pending' }, { now: new Date(), actor: 'key_b' }))).rejects.toThrow(ConflictError);

    ticket = await read();
    expect(ticket).toMatchObject({ status: 'solved', category: 'REFUND', intent: 'get_refund', team: 'billing', resolvedAt: `${year}-05-01T10:00:00.000Z` });
    expect((await inQueue(id))).toBe(false);
    const hour = (await countersOf(`${year}-05-01`));
    expect(hour.get('channel#chat')).toMatchObject({ ticketsResolved: 1, resolutionSecondsSum: 3600, ticketsOpened: 1, messagesIn: 1 });

    // The customer rates the solved ticket once (a survey tool records it); a second rating is refused.
    const { planRating } = await import('../../shared/tickets/rate-ticket');
    const rated = planRating(ticket, { score: 5 }, { now: new Date(`${year}-05-01T11:00:00.000Z`), actor: 'key_survey' });
    await store.rateTicket(ticket, rated.rating, rated.counters);
    await expect(store.rateTicket(ticket, rated.rating, rated.counters)).rejects.toThrow(ConflictError);
    expect((await read()).rating).toMatchObject({ score: 5 });
    expect((await countersOf(`${year}-05-01`)).get('team#billing')).toMatchObject({ ratingsCount: 1, satisfiedCount: 1 });

    // The customer writes again: the solved ticket reopens and is back in the queue.
    const reply = await deliver(thread, 'Still no refund', `${year}-05-02T08:00:00.000Z`);
    expect(reply).toMatchObject({ outcome: 'appended', ticketId: id });
    ticket = await read();
    expect(ticket.status).toBe('open');
    expect(ticket.resolvedAt).toBeUndefined();
    expect((await inQueue(id))).toBe(true);
    // …and the resolution it reopened scores 0 after all, counted back on the day it was made.
    expect((await countersOf(`${year}-05-01`)).get('team#billing')).toMatchObject({ outcomesCount: 1, outcomesWeightedSum: 1, outcomesRevokedWeightedSum: 1 });

    await store.applyTicketUpdate(ticket, planTicketUpdate(ticket, { status: 'closed' }, { now: new Date(`${year}-05-02T09:00:00.000Z`), actor: 'key_a' }));
    // Closed is final: the next message starts a new ticket on the same thread.
    const next = await deliver(thread, 'Another question', `${year}-05-03T08:00:00.000Z`);
    expect(next.outcome).toBe('opened');
    expect(next.outcome === 'opened' && next.ticketId).not.toBe(id);

    const labels: Array<{ ticketId: string; category: string; text: string }> = [];
    let cursor: string | undefined;
    do {
      const page = await store.listLabelledExamples({ limit: 100, ...(cursor ? { cursor } : {}) });
      labels.push(...page.items);
      cursor = page.next;
    } while (cursor);
    expect(labels.find((l) => l.ticketId === id)).toMatchObject({ category: 'REFUND', text: 'I want my money back for order 12' });
  });

  it('plans a customer’s message again when an agent changed the ticket’s status after routing read it', async () => {
    const thread2 = `race_${randomUUID().replaceAll('-', '')}`;
    const first = await deliver(thread2, 'My parcel is late', `${year}-07-01T09:00:00.000Z`);
    if (first.outcome !== 'opened') throw new Error('not opened');
    const read = async () => (await store.getTicket(first.ticketId))!;
    const pending = await read();
    await store.applyTicketUpdate(pending, planTicketUpdate(pending, { status: 'pending' }, { now: new Date(`${year}-07-01T09:10:00.000Z`), actor: 'key_a' }));
    const stale = await read();
    // The agent solves it while routing still holds the pending copy.
    await store.applyTicketUpdate(stale, planTicketUpdate(stale, { status: 'solved' }, { now: new Date(`${year}-07-01T10:00:00.000Z`), actor: 'key_a' }));
    let calls = 0;
    const racing = Object.assign(Object.create(store) as CrmStores, {
      findThreadTicket: async (channel: 'chat', key: string) => (calls++ === 0 ? { ticketId: stale.ticketId, ticket: stale } : store.findThreadTicket(channel, key)),
    });
    const message = inboundMessage({ thread: thread2, text: 'Still nothing', at: `${year}-07-02T08:00:00.000Z` });
    await store.putInboundMessage(message);
    expect(await routeMessage(racing, { message, classification }, new Date(`${year}-07-02T08:00:00.000Z`))).toMatchObject({ outcome: 'appended', ticketId: first.ticketId });
    // The ticket write (conditional on the copy read) failed once; planned again from the ticket as it is:
    expect(calls).toBe(1);
    // Planned from `solved`: reopened, counted as opened again, and the resolution's outcome revoked once.
    expect(await read()).toMatchObject({ status: 'open', messageCount: 2 });
    expect((await countersOf(`${year}-07-01`)).get('all')).toMatchObject({ outcomesCount: 1, outcomesRevokedWeightedSum: 1 });
    expect((await countersOf(`${year}-07-02`)).get('all')).toMatchObject({ ticketsOpened: 1 });
  });

  it('applies a retried change or reply once: same clientRequestId / clientReplyId, nothing written or counted again', async () => {
    const thread3 = `retry_${randomUUID().replaceAll('-', '')}`;
    const first = await deliver(thread3, 'Please update my address', `${year}-08-01T09:00:00.000Z`);
    if (first.outcome !== 'opened') throw new Error('not opened');
    const read = async () => (await store.getTicket(first.ticketId))!;
    const change = { timeSpentSeconds: 300, assignee: 'key_ana', clientRequestId: 'req-1' };
    const at = (t: string) => ({ now: new Date(`${year}-08-01T${t}.000Z`), actor: 'key_ana' });
    expect(await store.applyTicketUpdate(await read(), planTicketUpdate(await read(), change, at('09:10:00')))).toBe('applied');
    // The answer was lost; the client sends the same request again, planned from a fresh read.
    expect(await store.applyTicketUpdate(await read(), planTicketUpdate(await read(), change, at('09:11:00')))).toBe('replayed');
    const day = async () => (await countersOf(`${year}-08-01`)).get('agent#key_ana');
    expect(await day()).toMatchObject({ communicationSeconds: 300, handlingLogs: 1 });

    const { planAgentReply } = await import('../../shared/tickets/reply-ticket');
    const reply = (t: string) => planAgentReply(ticketNow, { text: 'Done, your address is updated.', requestId: 'reply-1', timeSpentSeconds: 60 }, at(t));
    let ticketNow = await read();
    expect(await store.replyToTicket(ticketNow, reply('09:20:00'))).toBe('applied');
    ticketNow = await read();
    expect(await store.replyToTicket(ticketNow, reply('09:21:00'))).toBe('replayed');
    expect((await read()).messageCount).toBe(2);
    expect(await day()).toMatchObject({ communicationSeconds: 360, handlingLogs: 2, messagesOut: 1 });
  });
});
