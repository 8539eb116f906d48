import { describe, expect, it, vi } from 'vitest';
import type { CustomerTier } from '../../../shared/customers/customer-tier';
import type { Classification, InboundMessage } from '../../../shared/domain/message';
import type { StoredMessage, Ticket } from '../../../shared/domain/ticket';
import type { RoutedMessage, RoutingStore } from '../../../shared/routing/routing-store';
import { routeMessage } from '../../../shared/routing/route-message';
import { ticketFixture } from '../../fixtures/ticket';

const message: InboundMessage = {
  messageId: 'msg_1',
  channel: 'email',
  providerMessageId: 'p:1',
  from: 'ana@example.com',
  alsoKnownAs: [],
  text: 'Where is my parcel?',
  attachments: [],
  threadKey: '<root@example.com>',
  receivedAt: '2026-11-22T10:00:00.000Z',
};
const classification: Classification = {
  language: { code: 'en', confidence: 1 },
  sentiment: { score: 0, comparative: 0, label: 'neutral' },
  topic: { category: 'ORDER', intent: 'track_order', confidence: 0.9, outOfScope: false },
  urgency: { score: 10, reasons: [] },
};

/** Just what routeMessage reads and writes, plus the tier lookup. */
function store(tier: CustomerTier | undefined, open?: Ticket) {
  const routed: RoutedMessage[] = [];
  const s = {
    getMessage: async (): Promise<StoredMessage> => ({ ...message, direction: 'inbound', status: 'received' }),
    findIdentities: async () => new Map([['email#ana@example.com', 'cus_1']]),
    linkIdentities: async () => new Map(),
    findThreadTicket: async () => open && { ticketId: open.ticketId, ticket: open },
    claimThread: async () => true,
    releaseThread: async () => {},
    markRouted: async (m: RoutedMessage) => (routed.push(m), true),
    putTicket: async () => true,
    getRoutingFacts: vi.fn(async () => (tier ? { tier } : undefined)),
  } as unknown as RoutingStore;
  return { s, routed };
}

describe('routing with the customer tier', () => {
  it('adds the VIP reason (+15) for a vip customer, on a new ticket and on a follow-up', async () => {
    const vip = store('vip');
    await routeMessage(vip.s, { message, classification }, new Date('2026-11-22T10:00:01.000Z'));
    expect(vip.s.getRoutingFacts).toHaveBeenCalledWith('cus_1');
    expect(vip.routed[0]!.priority).toEqual({ score: 25, reasons: ['VIP customer (+15)'] });

    const open = ticketFixture({ channel: 'email', threadKey: message.threadKey, createdAt: '2026-11-22T09:00:00.000Z', priority: { score: 10, reasons: [] } });
    const followUp = store('vip', open);
    await routeMessage(followUp.s, { message, classification }, new Date('2026-11-22T10:00:01.000Z'));
    expect(followUp.routed[0]!.priority.reasons).toEqual(['VIP customer (+15)']);
  });

  it('leaves standard and unknown customers alone', async () => {
    for (const tier of ['standard', undefined] as const) {
      const { s, routed } = store(tier);
      await routeMessage(s, { message, classification }, new Date('2026-11-22T10:00:01.000Z'));
      expect(routed[0]!.priority).toEqual({ score: 10, reasons: [] });
    }
  });
});
