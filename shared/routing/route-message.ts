import { routedMessageCounters } from '../analytics/counters';
import { teamOf, ticketTypeOf } from '../classify/ticket-type';
import { newTicketId } from '../domain/ids';
import type { ClassifiedMessage } from '../domain/message';
import type { Ticket } from '../domain/ticket';
import type { CrmStore, RoutedMessage } from '../ports/crm-store';
import { resolveCustomer } from './identity';
import { mergePriority, messagePriority } from './priority';

export type RouteOutcome =
  | { outcome: 'opened' | 'appended'; ticketId: string; customerId: string }
  | { outcome: 'already-routed' };

const PREVIEW = 200;

/**
 * Routes one classified message: resolves the customer, opens or continues the
 * ticket of its thread, and attaches the message. Safe to run twice for the
 * same message: the second run changes nothing.
 */
export async function routeMessage(store: CrmStore, input: ClassifiedMessage, now: Date): Promise<RouteOutcome> {
  const { message, classification } = input;
  const stored = await store.getMessage(message.messageId);
  // Messages are stored before they are queued; a missing one is a fault worth a retry, not a skip.
  if (!stored) throw new Error(`Message ${message.messageId} is not in the store`);
  if (stored.status === 'routed') return { outcome: 'already-routed' };

  const customerId = await resolveCustomer(store, message, now);
  const at = now.toISOString();
  const topic = classification.topic;
  // What the ticket is about decides its type (seed 004) and team; unsure → human triage.
  const about: Pick<Ticket, 'category' | 'intent' | 'ticketType' | 'team'> = topic
    ? { category: topic.category, intent: topic.intent, ticketType: ticketTypeOf(topic.category, topic.intent), team: teamOf(topic.category, topic.outOfScope) }
    : {};
  // Counted under the ticket's team and agent: for a follow-up, the ones the ticket has now.
  const routed = (ticketId: string, openedTicket: boolean, priority: Ticket['priority'], owner: { team?: string; assignee?: string } = about): RoutedMessage => ({
    messageId: message.messageId,
    receivedAt: message.receivedAt,
    ticketId,
    customerId,
    classification,
    priority,
    routedAt: at,
    counters: routedMessageCounters({
      messageId: message.messageId,
      channel: message.channel,
      receivedAt: message.receivedAt,
      openedTicket,
      complaint: openedTicket && about.ticketType === 'complaint',
      ...(owner.team ? { team: owner.team } : {}),
      ...(owner.assignee ? { agent: owner.assignee } : {}),
    }),
    textSample: {
      messageId: message.messageId,
      receivedAt: message.receivedAt,
      channel: message.channel,
      category: topic && !topic.outOfScope ? topic.category : 'unclassified',
      text: message.subject ? `${message.subject}\n${message.text}` : message.text,
    },
  });
  const preview = message.text.slice(0, PREVIEW);

  // Two passes: if another worker opens the thread's ticket first, append to theirs.
  for (let attempt = 0; attempt < 2; attempt++) {
    const open = await store.findOpenTicket(message.channel, message.threadKey);
    if (open) {
      // A customer writing again on a solved ticket reopens it (closed tickets are never found here).
      const reopened = open.status === 'solved';
      const priority = messagePriority(classification, { ticketOpenedAt: open.createdAt, receivedAt: message.receivedAt });
      const updated: Ticket = {
        ...open,
        ...(reopened ? { status: 'open' as const } : {}),
        updatedAt: at,
        lastMessageAt: message.receivedAt > open.lastMessageAt ? message.receivedAt : open.lastMessageAt,
        lastMessagePreview: preview,
        priority: mergePriority(open.priority, priority),
        sentiment: classification.sentiment.label,
      };
      if (reopened) delete updated.resolvedAt;
      const result = await store.appendMessage(updated, routed(open.ticketId, reopened, priority, open));
      if (result === 'already-routed') return { outcome: 'already-routed' };
      return { outcome: 'appended', ticketId: open.ticketId, customerId };
    }
    const priority = messagePriority(classification);
    const ticket: Ticket = {
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
      messageCount: 1,
      createdAt: at,
      updatedAt: at,
      lastMessageAt: message.receivedAt,
      lastMessagePreview: preview,
    };
    const result = await store.openTicketWithMessage(ticket, routed(ticket.ticketId, true, priority));
    if (result === 'attached') return { outcome: 'opened', ticketId: ticket.ticketId, customerId };
    if (result === 'already-routed') return { outcome: 'already-routed' };
  }
  throw new Error(`Could not thread message ${message.messageId}: its ticket kept changing`);
}
