import { dimensionsOf, hourOf, withCorrection, type CounterIncrement } from './counters';
import type { Ticket } from '../domain/ticket';

/**
 * Service effectiveness (seed 003, docs/kpis.md): every resolution scores 1 when it is made and
 * 0 if the ticket is reopened afterwards (by an agent or by the customer writing again). The
 * revocation is counted in the hour of the resolution it revokes, under the channel, team and
 * agent the ticket has now, riding along the reopening's own counters in one transaction.
 */
export function revokeOutcome(counters: CounterIncrement, resolvedAt: string, resolved: Pick<Ticket, 'channel' | 'team' | 'assignee'>) {
  return withCorrection(counters, {
    hour: hourOf(resolvedAt),
    events: [{ type: 'ticket.outcome-revoked', outcomeScore: 1 }],
    dimensions: dimensionsOf({ channel: resolved.channel, team: resolved.team, agent: resolved.assignee }),
  });
}
