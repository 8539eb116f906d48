import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { crmStores, type CrmStores } from '../../shared/adapters/crm-stores';
import type { Classification } from '../../shared/domain/message';
import type { Ticket } from '../../shared/domain/ticket';
import { routeMessage } from '../../shared/routing/route-message';
import { localDocumentClient } from './local-clients';
import { inboundMessage } from '../fixtures/inbound-message';

let store: CrmStores;

beforeAll(() => {
  const env = inject('localEnv');
  const doc = localDocumentClient(env);
  store = crmStores({ tableName: env.CRM_TABLE!, reportingTableName: env.REPORTING_TABLE!, client: doc });
});

const classification = (urgency: number): Classification => ({
  language: { code: 'en', confidence: 0.9 },
  sentiment: { score: 0, comparative: 0, label: 'neutral' },
  urgency: { score: urgency, reasons: urgency ? [`urgency ${urgency}`] : [] },
});

async function deliver(thread: string, urgency: number, at: string): Promise<string> {
  const message = inboundMessage({ thread, text: `help ${urgency}`, at });
  await store.putInboundMessage(message);
  const out = await routeMessage(store, { message, classification: classification(urgency) }, new Date(at));
  if (out.outcome === 'already-routed') throw new Error('unexpected');
  return out.ticketId;
}

/** The whole queue (every page), in the order the API serves it. */
async function wholeQueue(): Promise<Ticket[]> {
  const all: Ticket[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listQueue({ limit: 100, ...(cursor ? { cursor } : {}) });
    all.push(...page.items);
    cursor = page.next;
  } while (cursor);
  return all;
}

describe('the agents queue (gsi3, no scan)', () => {
  it('serves open tickets highest priority first, then longest waiting, and re-sorts when a message raises a ticket', async () => {
    const t = () => `q_${randomUUID().replaceAll('-', '')}`;
    const [a, b, c] = [t(), t(), t()];
    const low = await deliver(a, 10, '2026-11-30T08:00:00.000Z');
    const lowLater = await deliver(b, 10, '2026-11-30T09:00:00.000Z');
    const high = await deliver(c, 60, '2026-11-30T10:00:00.000Z');
    const order = () => wholeQueue().then((q) => q.map((x) => x.ticketId).filter((id) => [low, lowLater, high].includes(id)));
    expect(await order()).toEqual([high, low, lowLater]);

    // An urgent follow-up in the later low ticket lifts it above the older one.
    await deliver(b, 90, '2026-11-30T11:00:00.000Z');
    expect(await order()).toEqual([lowLater, high, low]);
    const queue = await wholeQueue();
    expect(queue.find((x) => x.ticketId === lowLater)?.priority).toEqual({ score: 90, reasons: ['urgency 90'] });
  });
});
