import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { crmStores, type CrmStores } from '../../shared/adapters/crm-stores';
import { DependencyError } from '../../shared/domain/errors';
import type { Classification } from '../../shared/domain/message';
import { routeMessage } from '../../shared/routing/route-message';
import type { RoutingStore } from '../../shared/routing/routing-store';
import { planTicketUpdate } from '../../shared/tickets/update-ticket';
import { inboundMessage } from '../fixtures/inbound-message';
import { localDocumentClient } from './local-clients';

/** Routing racing itself (a duplicate delivery) and an agent (a close), on the local emulators. */
let store: CrmStores;
beforeAll(() => {
  const env = inject('localEnv');
  store = crmStores({ tableName: env.CRM_TABLE!, reportingTableName: env.REPORTING_TABLE!, client: localDocumentClient(env) });
});

const classification: Classification = {
  language: { code: 'en', confidence: 1 },
  sentiment: { score: 0, comparative: 0, label: 'neutral' },
  urgency: { score: 10, reasons: [] },
};

/** The store with one method wrapped. */
const wrapped = <K extends keyof RoutingStore>(name: K, fn: RoutingStore[K]): RoutingStore => Object.assign(Object.create(store) as RoutingStore, { [name]: fn });

describe('routing races', () => {
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
      { message: m, classification },
      now,
    );
    await didClaim;
    const b = await routeMessage(store, { message: m, classification }, now);
    release();
    expect(await a).toMatchObject({ outcome: 'already-routed' });
    if (b.outcome !== 'opened') throw new Error(`B: ${b.outcome}`);
    // The thread still points at the ticket, so the next message joins it.
    expect((await store.findThreadTicket('chat', session))?.ticketId).toBe(b.ticketId);
    const next = inboundMessage({ thread: session, text: 'Hello?', at: '2026-11-24T08:01:00.000Z' });
    await store.putInboundMessage(next);
    expect(await routeMessage(store, { message: next, classification }, new Date('2026-11-24T08:01:01.000Z'))).toMatchObject({ outcome: 'appended', ticketId: b.ticketId });
  });

  it('a message whose ticket an agent closes before its ticket write is routed again into a new ticket', async () => {
    const session = `race_${randomUUID().replaceAll('-', '')}`;
    const first = inboundMessage({ thread: session, text: 'Hello', at: '2026-11-24T09:00:00.000Z' });
    await store.putInboundMessage(first);
    const opened = await routeMessage(store, { message: first, classification }, new Date('2026-11-24T09:00:01.000Z'));
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
    await expect(routeMessage(closing, { message: next, classification }, now)).rejects.toThrow(DependencyError);
    expect(await store.getMessage(next.messageId)).toMatchObject({ status: 'received' });

    const again = await routeMessage(store, { message: next, classification }, new Date('2026-11-24T09:05:31.000Z'));
    if (again.outcome !== 'opened') throw new Error(`rerun: ${again.outcome}`);
    expect(again.ticketId).not.toBe(opened.ticketId);
    expect(await store.getTicket(opened.ticketId)).toMatchObject({ status: 'closed', messageCount: 1 });
    expect(await store.getTicket(again.ticketId)).toMatchObject({ status: 'open', messageCount: 1 });
    expect((await store.listTicketMessages(again.ticketId, { limit: 10 })).items.map((x) => x.messageId)).toEqual([next.messageId]);
    expect((await store.listTicketMessages(opened.ticketId, { limit: 10 })).items.map((x) => x.messageId)).toEqual([first.messageId]);
  });
});
