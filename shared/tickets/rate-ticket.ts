import { counterIncrement, dimensionsOf, hourOf, type CounterIncrement } from '../analytics/counters';
import { ConflictError } from '../domain/errors';
import type { Ticket } from '../domain/ticket';

/** A customer's satisfaction rating of a ticket (CSAT survey answer), 1 (bad) to 5 (great). */
export interface TicketRating {
  score: 1 | 2 | 3 | 4 | 5;
  comment?: string;
  ratedAt: string;
  /** Who recorded it: the API key of the survey tool or agent. */
  recordedBy: string;
}

/**
 * Plans recording a rating: the ticket must be solved or closed (CSAT rates a finished
 * conversation) and not rated yet — one rating per ticket keeps every KPI that uses
 * ratings (CSAT, customer satisfaction, service quality S = F/T) a plain sum.
 * The counters go in the rating's hour, under the ticket's channel, team and agent.
 */
export function planRating(ticket: Ticket & { rating?: TicketRating }, input: { score: TicketRating['score']; comment?: string }, ctx: { now: Date; actor: string }): { rating: TicketRating; counters: CounterIncrement } {
  if (ticket.status !== 'solved' && ticket.status !== 'closed') throw new ConflictError(`Only a solved or closed ticket can be rated; this one is ${ticket.status}.`);
  if (ticket.rating) throw new ConflictError('This ticket is already rated; a ticket takes one rating.');
  const at = ctx.now.toISOString();
  const rating: TicketRating = { score: input.score, ...(input.comment ? { comment: input.comment } : {}), ratedAt: at, recordedBy: ctx.actor };
  const counters = counterIncrement({
    hour: hourOf(at),
    shardKey: `${ticket.ticketId}#rating`,
    events: [{ type: 'rating.received', score: input.score }],
    dimensions: dimensionsOf({ channel: ticket.channel, team: ticket.team, agent: ticket.assignee }),
  });
  return { rating, counters };
}
