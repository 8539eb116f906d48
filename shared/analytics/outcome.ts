import { dimensionsOf, hourOf, withCorrection, type CounterIncrement } from './counters';
import type { Ticket } from '../domain/ticket';
import type { CountedEvents } from './routing-counts';

/**
 * Service effectiveness (seed 003, docs/kpis.md): every resolution scores 1 when it is made and
 * 0 if the ticket is reopened afterwards (by an agent or by the customer writing again). The
 * revocation is counted in the hour of the resolution it revokes, under the channel, team and
 * agent the ticket has now, riding along the reopening's own counters in one transaction.
 */
export function revokeOutcome(counters: CounterIncrement, resolvedAt: string, resolved: Pick<Ticket, 'channel' | 'team' | 'assignee'>) {
  const c = revokedOutcome(resolvedAt, resolved);
  return withCorrection(counters, { hour: c.hour, events: c.events, dimensions: dimensionsOf({ channel: resolved.channel, team: c.team, agent: c.agent }) });
}

/** The revocation as events (routing keeps them on the message: see routing-counts.ts). */
export function revokedOutcome(resolvedAt: string, resolved: Pick<Ticket, 'team' | 'assignee'>): CountedEvents & { hour: string } {
  return {
    hour: hourOf(resolvedAt),
    events: [{ type: 'ticket.outcome-revoked', outcomeScore: 1 }],
    ...(resolved.team ? { team: resolved.team } : {}),
    ...(resolved.assignee ? { agent: resolved.assignee } : {}),
  };
}
