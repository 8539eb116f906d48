import { createHash } from 'node:crypto';
import { counterIncrement, dimensionsOf, hourOf, type CounterIncrement } from '../analytics/counters';
import type { KpiEvent } from '../analytics/kpi';
import { ConflictError, ValidationError } from '../domain/errors';
import type { Ticket } from '../domain/ticket';
import { deliveryFor, PROVIDER_CHANNELS, REPLY_CHANNELS, SMS_MAX_CHARS, type ReplyContext } from '../outbound/delivery';
import type { OutboundReply } from '../domain/ticket';
import { slaDecision } from '../routing/sla';

/**
 * Plans an agent's reply: the outbound message in the ticket's thread (on email and SMS with
 * a queued delivery to the customer's latest message, `answering`), the ticket moved to
 * `pending` (waiting for the customer) with its first response time, and the counters —
 * one message sent, and for the first answer the first-response wait and its SLA decision.
 * The reply's id comes from the ticket, the agent's request id and the text, so a retried
 * request writes it once.
 */
export function planAgentReply(
  ticket: Ticket,
  input: { text: string; requestId: string; answering?: ReplyContext | undefined; timeSpentSeconds?: number | undefined },
  ctx: { now: Date; actor: string },
): { ticket: Ticket; reply: OutboundReply; counters: CounterIncrement } {
  if (ticket.status === 'closed') throw new ConflictError('The ticket is closed; a new message from the customer opens a new one.');
  if (!REPLY_CHANNELS.has(ticket.channel)) {
    throw new ConflictError(`Replies on ${ticket.channel} tickets cannot be delivered yet: only chat, email and SMS have outbound delivery.`);
  }
  const delivery = PROVIDER_CHANNELS.has(ticket.channel) && input.answering ? deliveryFor(input.answering, { auto: false }) : undefined;
  if (ticket.channel === 'sms' && input.text.length > SMS_MAX_CHARS) {
    throw new ValidationError(`An SMS reply can be at most ${SMS_MAX_CHARS} characters; this one has ${input.text.length}.`, [{ path: 'text', message: `at most ${SMS_MAX_CHARS} characters on SMS` }]);
  }
  if (PROVIDER_CHANNELS.has(ticket.channel) && !delivery) {
    throw new ConflictError(`The ticket has no message from the customer to answer on ${ticket.channel}, so there is no address to reply to.`);
  }
  const at = ctx.now.toISOString();
  const digest = createHash('sha256').update(`${ticket.ticketId}\n${input.requestId}\n${input.text}`).digest('hex').slice(0, 32);
  const reply: OutboundReply = {
    messageId: `msg_${digest}`,
    channel: ticket.channel,
    threadKey: ticket.threadKey,
    from: 'agent',
    text: input.text,
    sentAt: at,
    inReplyTo: ticket.ticketId,
    sentBy: ctx.actor,
    ...(delivery ? { delivery } : {}),
  };
  const events: KpiEvent[] = [{ type: 'message.sent' }];
  if (input.timeSpentSeconds) events.push({ type: 'communication.logged', seconds: input.timeSpentSeconds });
  const next: Ticket = { ...ticket, updatedAt: at, status: ticket.status === 'solved' ? 'solved' : 'pending', messageCount: ticket.messageCount + 1, messageIds: [...ticket.messageIds, reply.messageId] };
  // A new answer supersedes the failed one.
  delete next.deliveryFailure;
  if (ticket.firstResponseAt === undefined) {
    const waitSeconds = Math.max(0, Math.round((ctx.now.getTime() - Date.parse(ticket.createdAt)) / 1000));
    events.push({ type: 'ticket.first-responded', waitSeconds }, slaDecision('firstResponse', ticket.priority.score, waitSeconds));
    next.firstResponseAt = at;
  }
  const counters = counterIncrement({
    hour: hourOf(at),
    shardKey: reply.messageId,
    events,
    dimensions: dimensionsOf({ channel: ticket.channel, team: ticket.team, agent: ticket.assignee ?? ctx.actor }),
  });
  return { ticket: next, reply, counters };
}
