import { counterIncrement, dimensionsOf, hourOf, routedMessageCounters, type CounterIncrement } from '../analytics/counters';
import type { KpiEvent } from '../analytics/kpi';
import { teamOf, ticketTypeOf } from '../classify/ticket-type';
import { messageIdFor, newTicketId } from '../domain/ids';
import type { ClassifiedMessage } from '../domain/message';
import type { Ticket } from '../domain/ticket';
import { AUTO_REPLY_SENDER, planAnswer, type AnswerPlan, type SuggestFn } from '../knowledge/answer-plan';
import { DEFAULT_AUTO_REPLY_POLICY, type AutoReplyPolicy } from '../knowledge/auto-reply';
import { deliveryFor } from '../outbound/delivery';
import type { CrmStore, OutboundReply, RoutedMessage } from '../ports/crm-store';
import { revokeOutcome } from '../analytics/outcome';
import { resolveCustomer } from './identity';
import { mergePriority, messagePriority } from './priority';
import { slaDecision } from './sla';

export type RouteOutcome =
  /** `deliver`: the auto-reply to hand to the outbound queue (email, SMS), by message id. */
  | { outcome: 'opened' | 'appended'; ticketId: string; customerId: string; deliver?: string }
  /** `customerId`: whom the earlier delivery routed it to, when known. */
  | { outcome: 'already-routed'; customerId?: string };

const PREVIEW = 200;

export interface RouteOptions {
  /** Knowledge-base matching; without it no suggestions are made (and nothing is auto-replied). */
  suggest?: SuggestFn;
  /** Auto-reply policy per category; DEFAULT_AUTO_REPLY_POLICY when omitted. */
  policy?: AutoReplyPolicy;
}

/** The auto-reply's id: derived from the inbound message's, so a retry cannot post it twice. */
export const autoReplyIdFor = (inbound: { channel: ClassifiedMessage['message']['channel']; messageId: string }): string =>
  messageIdFor(inbound.channel, `auto-reply:${inbound.messageId}`);

/**
 * Routes one classified message: resolves the customer, opens or continues the
 * ticket of its thread, and attaches the message with its knowledge-base
 * suggestions; when policy allows, the best article is written back into the thread
 * in the same transaction (on email and SMS with a queued delivery the caller hands
 * to the outbound queue) and the ticket waits for the customer. Safe to run twice
 * for the same message: the second run changes nothing.
 */
export async function routeMessage(store: CrmStore, input: ClassifiedMessage, now: Date, options: RouteOptions = {}): Promise<RouteOutcome> {
  const { message, classification } = input;
  const stored = await store.getMessage(message.messageId);
  // Messages are stored before they are queued; a missing one is a fault worth a retry, not a skip.
  if (!stored) throw new Error(`Message ${message.messageId} is not in the store`);
  if (stored.status === 'routed') return { outcome: 'already-routed', ...(stored.customerId ? { customerId: stored.customerId } : {}) };

  const customerId = await resolveCustomer(store, message, now);
  // The manager's or the customer models' tier (shared/customers): one small read; vip raises priority.
  const customerTier = await store.getCustomerTier(customerId);
  const at = now.toISOString();
  const topic = classification.topic;
  const text = message.subject ? `${message.subject}\n${message.text}` : message.text;
  const knownCategory = topic && !topic.outOfScope ? topic.category : undefined;
  const answer: AnswerPlan = options.suggest
    ? planAnswer(await options.suggest(text, knownCategory), {
        messageId: message.messageId,
        channel: message.channel,
        category: knownCategory,
        policy: options.policy ?? DEFAULT_AUTO_REPLY_POLICY,
      })
    : { suggestions: [] };
  // Sent after the message it answers, so the thread lists it second even with clock skew.
  const replyAt = new Date(Math.max(now.getTime(), Date.parse(message.receivedAt) + 1)).toISOString();
  const delivery = deliveryFor(message, { auto: true });
  const reply: OutboundReply | undefined = answer.send && {
    messageId: autoReplyIdFor(message),
    channel: message.channel,
    threadKey: message.threadKey,
    from: AUTO_REPLY_SENDER,
    text: answer.send.text,
    sentAt: replyAt,
    inReplyTo: message.messageId,
    articleId: answer.send.articleId,
    ...(delivery ? { delivery } : {}),
  };
  const deliver = reply?.delivery ? { deliver: reply.messageId } : {};
  // What the ticket is about decides its type (seed 004) and team; unsure → human triage.
  const about: Pick<Ticket, 'category' | 'intent' | 'ticketType' | 'team'> = topic
    ? { category: topic.category, intent: topic.intent, ticketType: ticketTypeOf(topic.category, topic.intent), team: teamOf(topic.category, topic.outOfScope) }
    : {};
  // Counted under the ticket's team and agent: for a follow-up, the ones the ticket has now.
  // `firstResponseFrom`: when the ticket's wait for a first answer began, if the reply is that answer.
  const routed = (
    ticketId: string,
    openedTicket: boolean,
    priority: Ticket['priority'],
    owner: { team?: string; assignee?: string } = about,
    firstResponseFrom?: string,
  ): RoutedMessage => {
    const where = { messageId: message.messageId, channel: message.channel, receivedAt: message.receivedAt };
    const counters = routedMessageCounters({
      ...where,
      openedTicket,
      complaint: openedTicket && about.ticketType === 'complaint',
      ...(owner.team ? { team: owner.team } : {}),
      ...(owner.assignee ? { agent: owner.assignee } : {}),
    });
    return {
      messageId: message.messageId,
      receivedAt: message.receivedAt,
      ticketId,
      customerId,
      classification,
      priority,
      routedAt: at,
      counters: reply ? withReplyCounters(counters, where, owner, firstResponseFrom, replyAt, priority.score) : counters,
      textSample: { ...where, category: knownCategory ?? 'unclassified', text },
      ...(answer.suggestions.length ? { suggestions: answer.suggestions } : {}),
      ...(reply ? { reply } : {}),
    };
  };
  const preview = message.text.slice(0, PREVIEW);
  // An auto-reply answers the customer: the ticket waits for them, and its first answer is now.
  const answered = (t: Ticket): Ticket => {
    const out: Ticket = { ...t };
    if (answer.suggestedAnswer) out.suggestedAnswer = answer.suggestedAnswer;
    else delete out.suggestedAnswer;
    if (reply) Object.assign(out, { status: 'pending' as const, firstResponseAt: t.firstResponseAt ?? replyAt });
    return out;
  };

  // Two passes: if another worker opens the thread's ticket first, append to theirs; if an agent
  // changes the ticket's status meanwhile, plan again from the status they left.
  for (let attempt = 0; attempt < 2; attempt++) {
    const open = await store.findOpenTicket(message.channel, message.threadKey);
    if (open) {
      // A customer writing again on a solved ticket reopens it (closed tickets are never found here).
      const reopened = open.status === 'solved';
      const priority = messagePriority(classification, { customerTier, ticketOpenedAt: open.createdAt, receivedAt: message.receivedAt });
      // The customer wrote back: a ticket that was waiting for them (pending) waits for an agent again.
      const updated: Ticket = answered({
        ...open,
        ...(reopened || open.status === 'pending' ? { status: 'open' as const } : {}),
        updatedAt: at,
        lastMessageAt: message.receivedAt > open.lastMessageAt ? message.receivedAt : open.lastMessageAt,
        lastMessagePreview: preview,
        priority: mergePriority(open.priority, priority),
        sentiment: classification.sentiment.label,
      });
      if (reopened) {
        delete updated.resolvedAt;
        delete updated.outcomeCounted;
      }
      const firstFrom = open.firstResponseAt === undefined ? open.createdAt : undefined;
      let attached = routed(open.ticketId, reopened, priority, open, firstFrom);
      // Reopened by the customer: the resolution they reopened scores 0 after all.
      if (reopened && open.resolvedAt && open.outcomeCounted && attached.counters) {
        const { counters, correction } = revokeOutcome(attached.counters, open.resolvedAt, open);
        attached = { ...attached, counters, ...(correction ? { correction } : {}) };
      }
      const result = await store.appendMessage(updated, attached, open.status);
      if (result === 'already-routed') return { outcome: 'already-routed', customerId };
      // The ticket's status changed since it was read (an agent moved it): plan again from the new one.
      if (result === 'thread-taken') continue;
      return { outcome: 'appended', ticketId: open.ticketId, customerId, ...deliver };
    }
    const priority = messagePriority(classification, { customerTier });
    const ticket: Ticket = answered({
      ...about,
      ticketId: newTicketId(),
      customerId,
      channel: message.channel,
      threadKey: message.threadKey,
      subject: message.subject ?? preview.slice(0, 80),
      status: 'open',
      priority,
      language: classification.language.code,
      sentiment: classification.sentiment.label,
      messageCount: reply ? 2 : 1,
      createdAt: at,
      updatedAt: at,
      lastMessageAt: message.receivedAt,
      lastMessagePreview: preview,
    });
    const result = await store.openTicketWithMessage(ticket, routed(ticket.ticketId, true, priority, about, message.receivedAt));
    if (result === 'attached') return { outcome: 'opened', ticketId: ticket.ticketId, customerId, ...deliver };
    if (result === 'already-routed') return { outcome: 'already-routed', customerId };
  }
  throw new Error(`Could not thread message ${message.messageId}: its ticket kept changing`);
}

/**
 * The message's counters plus its auto-reply's: one message sent and, when it is the ticket's
 * first answer, the first response with its wait. Same hour (the message's) and shard, so the
 * reply is counted in the same transaction as the message, exactly once.
 */
function withReplyCounters(
  base: CounterIncrement,
  where: { messageId: string; channel: ClassifiedMessage['message']['channel']; receivedAt: string },
  owner: { team?: string; assignee?: string },
  firstResponseFrom: string | undefined,
  replyAt: string,
  priorityScore: number,
): CounterIncrement {
  const events: KpiEvent[] = [{ type: 'message.sent' }];
  if (firstResponseFrom !== undefined) {
    const waitSeconds = Math.max(0, Math.round((Date.parse(replyAt) - Date.parse(firstResponseFrom)) / 1000));
    events.push({ type: 'ticket.first-responded', waitSeconds }, slaDecision('firstResponse', priorityScore, waitSeconds));
  }
  const extra = counterIncrement({
    hour: hourOf(where.receivedAt),
    shardKey: where.messageId,
    events,
    dimensions: dimensionsOf({ channel: where.channel, team: owner.team, agent: owner.assignee }),
  });
  const cells = { ...base.cells };
  for (const [cell, n] of Object.entries(extra.cells)) cells[cell] = (cells[cell] ?? 0) + n;
  return { ...base, cells };
}
