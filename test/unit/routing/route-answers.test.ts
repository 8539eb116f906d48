import { describe, expect, it, vi } from 'vitest';
import type { Channel, Classification, InboundMessage } from '../../../shared/domain/message';
import type { StoredMessage, Ticket } from '../../../shared/domain/ticket';
import { NO_OUTBOUND_DELIVERY, type SuggestFn } from '../../../shared/knowledge/answer-plan';
import type { AnswerSuggestion } from '../../../shared/knowledge/index-cache';
import { answerSuggestion } from '../../fixtures/answer-suggestion';
import type { OutboundReply } from '../../../shared/domain/ticket';
import type { RoutedMessage, RoutingStore } from '../../../shared/routing/routing-store';
import { rollUpMessages } from '../../../shared/analytics/routing-counts';
import { autoReplyIdFor, routeMessage } from '../../../shared/routing/route-message';

/**
 * An in-memory RoutingStore with just what routeMessage uses; marking a message routed refuses one
 * that is already routed, and a ticket write one that changed, as the DynamoDB conditions do.
 */
function memoryStore(opts: { openTicket?: Ticket } = {}) {
  const messages = new Map<string, StoredMessage>();
  const tickets = new Map<string, Ticket>(opts.openTicket ? [[opts.openTicket.ticketId, opts.openTicket]] : []);
  const threads = new Map<string, { ticketId: string; openedBy?: string }>(
    opts.openTicket ? [[`${opts.openTicket.channel}#${opts.openTicket.threadKey}`, { ticketId: opts.openTicket.ticketId }]] : [],
  );
  const routed: RoutedMessage[] = [];
  const replies: OutboundReply[] = [];
  const store = {
    getMessage: async (id: string) => messages.get(id),
    findIdentities: async () => new Map([['chat#visitor', 'cus_1'], ['email#ana@example.com', 'cus_1']]),
    linkIdentities: async () => new Map(),
    getRoutingFacts: async () => undefined,
    getTicket: async (id: string) => tickets.get(id),
    findThreadTicket: async (channel: Channel, threadKey: string) => {
      const t = threads.get(`${channel}#${threadKey}`);
      return t && { ...t, ...(tickets.has(t.ticketId) ? { ticket: tickets.get(t.ticketId) } : {}) };
    },
    claimThread: async (channel: Channel, threadKey: string, ticketId: string, openedBy: string) => {
      if (threads.has(`${channel}#${threadKey}`)) return false;
      threads.set(`${channel}#${threadKey}`, { ticketId, openedBy });
      return true;
    },
    releaseThread: async (channel: Channel, threadKey: string) => {
      threads.delete(`${channel}#${threadKey}`);
    },
    putReply: async (r: OutboundReply) => {
      if (!replies.some((x) => x.messageId === r.messageId)) replies.push(r);
    },
    markRouted: vi.fn(async (m: RoutedMessage) => {
      const stored = messages.get(m.messageId)!;
      if (stored.status === 'routed') return false;
      messages.set(m.messageId, { ...stored, status: 'routed', ticketId: m.ticketId, customerId: m.customerId });
      routed.push(m);
      return true;
    }),
    putTicket: vi.fn(async (t: Ticket, previousUpdatedAt?: string) => {
      const current = tickets.get(t.ticketId);
      if (previousUpdatedAt === undefined ? current : current?.updatedAt !== previousUpdatedAt) return false;
      tickets.set(t.ticketId, t);
      return true;
    }),
    updateRoutingCounts: async () => {},
  } as unknown as RoutingStore;
  const put = (m: InboundMessage) => messages.set(m.messageId, { ...m, direction: 'inbound', status: 'received' });
  return { store, put, messages, tickets, routed, replies };
}

/** The counter cells a routed message adds (as the rollup sums them), and their hour. */
function cellsOf(m: RoutedMessage): Record<string, number> {
  return [...rollUpMessages([{ messageId: m.messageId, channel: m.channel, receivedAt: m.receivedAt, counts: m.counts }]).values()][0]!;
}

const message = (channel: Channel = 'chat', id = 'msg_1'): InboundMessage => ({
  messageId: id,
  channel,
  providerMessageId: `p:${id}`,
  from: channel === 'chat' ? 'visitor' : 'ana@example.com',
  alsoKnownAs: [],
  text: 'How do I track my order?',
  attachments: [],
  threadKey: channel === 'chat' ? 'visitor' : '<root@example.com>',
  receivedAt: '2026-11-22T10:00:00.000Z',
});

const classification = (category = 'ORDER', outOfScope = false): Classification => ({
  language: { code: 'en', confidence: 1 },
  sentiment: { score: 0, comparative: 0, label: 'neutral' },
  topic: { category, intent: 'track_order', confidence: 0.9, outOfScope },
  urgency: { score: 10, reasons: [] },
});

const match = answerSuggestion;
const rival = match({ articleId: 'kb_cancel', title: 'Cancel order', score: 2.25, normalisedScore: 0.3, margin: -0.5, autoReply: false, body: 'Cancel it.' });
const third = match({ articleId: 'kb_change', title: 'Change order', score: 1, normalisedScore: 0.1, margin: -0.7, body: 'Change it.' });
const extra = match({ articleId: 'kb_other', title: 'Other', score: 0.5, normalisedScore: 0.05, margin: -0.75, body: 'Other.' });

// Routed 90 s after the message arrived: the first response waits 90 s.
const now = new Date('2026-11-22T10:01:30.000Z');
const suggestWith = (...matches: AnswerSuggestion[]) => vi.fn<SuggestFn>(() => matches);

async function route(channel: Channel, suggest: SuggestFn | undefined, cls = classification(), existing?: Ticket) {
  const s = memoryStore(existing ? { openTicket: existing } : {});
  const m = message(channel);
  s.put(m);
  const outcome = await routeMessage(s.store, { message: m, classification: cls }, now, suggest ? { suggest } : {});
  return { ...s, outcome, m };
}

describe('routeMessage: suggestions', () => {
  it('stores the top 3 matches on the message and the best on the ticket, for the known category', async () => {
    const suggest = suggestWith(match({ autoReply: false }), rival, third, extra);
    const { routed, tickets, replies, outcome } = await route('chat', suggest);
    expect(outcome.outcome).toBe('opened');
    expect(suggest).toHaveBeenCalledWith('How do I track my order?', 'ORDER');
    expect(routed[0]!.suggestions).toEqual([
      { articleId: 'kb_track', title: 'Track order', score: 7.5, normalisedScore: 0.8 },
      { articleId: 'kb_cancel', title: 'Cancel order', score: 2.25, normalisedScore: 0.3 },
      { articleId: 'kb_change', title: 'Change order', score: 1, normalisedScore: 0.1 },
    ]);
    const ticket = [...tickets.values()][0]!;
    expect(ticket.suggestedAnswer).toEqual({
      articleId: 'kb_track',
      title: 'Track order',
      normalisedScore: 0.8,
      autoReplied: false,
      reason: 'article-disallows',
      messageId: 'msg_1',
    });
    expect(ticket).toMatchObject({ status: 'open', messageCount: 1 });
    expect(ticket.firstResponseAt).toBeUndefined();
    expect(replies).toEqual([]);
  });

  it('passes no category when the classifier was not confident; no matches → no suggestion, no error', async () => {
    const suggest = suggestWith();
    const { routed, tickets } = await route('chat', suggest, classification('ORDER', true));
    expect(suggest).toHaveBeenCalledWith('How do I track my order?', undefined);
    expect(routed[0]!.suggestions).toBeUndefined();
    expect([...tickets.values()][0]!.suggestedAnswer).toBeUndefined();
    // Without a suggest function routing is as before.
    const plain = await route('chat', undefined);
    expect(plain.routed[0]!.suggestions).toBeUndefined();
    expect(plain.replies).toEqual([]);
  });
});

describe('routeMessage: auto-reply', () => {
  it('replies on chat in the same attach when policy, article and thresholds allow it', async () => {
    const { routed, tickets, replies, m } = await route('chat', suggestWith(match(), rival));
    expect(replies).toEqual([
      {
        messageId: autoReplyIdFor(m),
        channel: 'chat',
        threadKey: 'visitor',
        from: 'switchboard',
        text: 'You can follow your order under Orders in your account.',
        sentAt: '2026-11-22T10:01:30.000Z',
        inReplyTo: 'msg_1',
        articleId: 'kb_track',
      },
    ]);
    expect(autoReplyIdFor(m)).toMatch(/^msg_[a-f0-9]{32}$/);
    expect(autoReplyIdFor(m)).not.toBe(m.messageId);
    const ticket = [...tickets.values()][0]!;
    expect(ticket).toMatchObject({ status: 'pending', messageCount: 2, firstResponseAt: '2026-11-22T10:01:30.000Z' });
    expect(ticket.suggestedAnswer).toMatchObject({ autoReplied: true, reason: 'auto-reply' });
    // One message in and one out (2 communications), a first response after 90 s, under all and chat.
    const cells = cellsOf(routed[0]!);
    for (const d of ['all', 'channel#chat']) {
      expect(cells[`messagesIn@${d}`]).toBe(1);
      expect(cells[`messagesOut@${d}`]).toBe(1);
      expect(cells[`communications@${d}`]).toBe(2);
      expect(cells[`ticketsOpened@${d}`]).toBe(1);
      expect(cells[`firstResponseCount@${d}`]).toBe(1);
      expect(cells[`firstResponseSecondsSum@${d}`]).toBe(90);
    }
  });

  it.each([
    ['the category policy is off (FEEDBACK)', match({ category: 'FEEDBACK' }), classification('FEEDBACK'), 'category-disabled'],
    ['the article does not allow it', match({ autoReply: false }), classification(), 'article-disallows'],
    ['the score is below 0.40', match({ normalisedScore: 0.39 }), classification(), 'below-threshold'],
    ['the lead over the next article is below 0.10', match({ margin: 0.09 }), classification(), 'ambiguous'],
    ['classifier and article disagree on the category', match({ category: 'REFUND' }), classification(), 'category-mismatch'],
  ])('does not reply when %s', async (_why, top, cls, reason) => {
    const { routed, tickets, replies } = await route('chat', suggestWith(top), cls);
    expect(replies).toEqual([]);
    const ticket = [...tickets.values()][0]!;
    expect(ticket).toMatchObject({ status: 'open', messageCount: 1, suggestedAnswer: { autoReplied: false, reason } });
    expect(cellsOf(routed[0]!)['messagesOut@all']).toBeUndefined();
  });

  it('auto-replies on email (threaded, marked auto-replied) and SMS with a queued delivery, and asks the caller to deliver it', async () => {
    const email = await route('email', suggestWith(match(), rival));
    const reply = email.replies[0]!;
    expect(reply).toMatchObject({ channel: 'email', threadKey: '<root@example.com>', text: 'You can follow your order under Orders in your account.' });
    expect(reply.delivery).toEqual({
      status: 'queued',
      channel: 'email',
      to: 'ana@example.com',
      subject: 'Re: your message',
      inReplyTo: 'p:msg_1',
      references: ['<root@example.com>', 'p:msg_1'],
      auto: true,
    });
    expect(email.outcome).toMatchObject({ outcome: 'opened', deliver: reply.messageId });
    expect([...email.tickets.values()][0]).toMatchObject({ status: 'pending', messageCount: 2, suggestedAnswer: { autoReplied: true } });

    const sms = await route('sms', suggestWith(match(), rival));
    expect(sms.replies[0]!.delivery).toEqual({ status: 'queued', channel: 'sms', to: 'ana@example.com', auto: true });
    // Chat needs no delivery: the widget reads the thread.
    const chat = await route('chat', suggestWith(match(), rival));
    expect(chat.replies[0]!.delivery).toBeUndefined();
    expect(chat.outcome).not.toHaveProperty('deliver');
  });

  it('does not auto-reply on SMS with an article longer than an SMS can carry', async () => {
    const long = match({ body: 'x'.repeat(1601) });
    const { replies, tickets } = await route('sms', suggestWith(long, rival));
    expect(replies).toEqual([]);
    expect([...tickets.values()][0]!.suggestedAnswer).toMatchObject({ autoReplied: false, reason: 'article too long for SMS' });
    // 1,600 characters fit.
    expect((await route('sms', suggestWith(match({ body: 'x'.repeat(1600) }), rival))).replies).toHaveLength(1);
  });

  it('gives social and voice the suggestion only: no outbound delivery there yet', async () => {
    for (const channel of ['social', 'voice'] as const) {
      const { routed, tickets, replies } = await route(channel, suggestWith(match(), rival));
      expect(replies).toEqual([]);
      expect(routed[0]!.suggestions).toHaveLength(2);
      const ticket = [...tickets.values()][0]!;
      expect(ticket).toMatchObject({ status: 'open', messageCount: 1 });
      expect(ticket.suggestedAnswer).toMatchObject({ articleId: 'kb_track', autoReplied: false, reason: NO_OUTBOUND_DELIVERY });
    }
  });

  it('posts nothing twice on a redelivery: the message’s conditional write refuses it', async () => {
    const s = memoryStore();
    const m = message('chat');
    s.put(m);
    const suggest = suggestWith(match());
    await routeMessage(s.store, { message: m, classification: classification() }, now, { suggest });
    const ticket = [...s.tickets.values()][0]!;
    // Redelivered after routing, twice: refused by the message's write, the ticket as it was.
    for (let i = 0; i < 2; i++) expect(await routeMessage(s.store, { message: m, classification: classification() }, now, { suggest })).toMatchObject({ outcome: 'already-routed' });
    expect(s.replies).toHaveLength(1);
    expect(s.routed).toHaveLength(1);
    expect(s.tickets.get(ticket.ticketId)).toEqual(ticket);
  });

  it('on a follow-up, counts a first response from the ticket’s creation only if it had none', async () => {
    const open: Ticket = {
      ticketId: 'tkt_1',
      customerId: 'cus_1',
      channel: 'chat',
      threadKey: 'visitor',
      subject: 'Order',
      status: 'open',
      priority: { score: 10, reasons: [] },
      language: 'en',
      sentiment: 'neutral',
      messageCount: 3,
      messageIds: [],
      createdAt: '2026-11-22T09:51:30.000Z',
      updatedAt: '2026-11-22T09:51:30.000Z',
      lastMessageAt: '2026-11-22T09:51:30.000Z',
      lastMessagePreview: 'hi',
      suggestedAnswer: { articleId: 'kb_old', title: 'Old', normalisedScore: 0.5, autoReplied: false, reason: 'below-threshold', messageId: 'msg_0' },
    };
    const first = await route('chat', suggestWith(match()), classification(), open);
    expect(first.outcome.outcome).toBe('appended');
    expect(first.tickets.get('tkt_1')).toMatchObject({ status: 'pending', firstResponseAt: '2026-11-22T10:01:30.000Z', suggestedAnswer: { articleId: 'kb_track' } });
    // 10 minutes since the ticket was opened.
    expect(cellsOf(first.routed[0]!)['firstResponseSecondsSum@all']).toBe(600);

    const answered = await route('chat', suggestWith(match()), classification(), { ...open, firstResponseAt: '2026-11-22T09:55:00.000Z' });
    const cells = cellsOf(answered.routed[0]!);
    expect(cells['messagesOut@all']).toBe(1);
    expect(cells['firstResponseCount@all']).toBeUndefined();
    expect(answered.tickets.get('tkt_1')!.firstResponseAt).toBe('2026-11-22T09:55:00.000Z');

    // A follow-up nothing matches drops the previous message's suggestion.
    const unmatched = await route('chat', suggestWith(), classification(), open);
    expect(unmatched.tickets.get('tkt_1')!.suggestedAnswer).toBeUndefined();
  });
});
