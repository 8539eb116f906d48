import { counterIncrement, dimensionsOf, hourOf, type CounterIncrement } from '../analytics/counters';
import type { LabelledExample } from '../classify/label-store';
import type { KpiEvent } from '../analytics/kpi';
import { INTENT_CATEGORY } from '../classify/intent';
import { slaDecision } from '../routing/sla';
import { SUPPORT_CATEGORIES, teamOf, ticketTypeOf } from '../classify/ticket-type';
import { ConflictError, ValidationError } from '../domain/errors';
import type { Ticket, TicketStatus } from '../domain/ticket';
import { revokeOutcome } from '../analytics/outcome';

/** What an agent may change on a ticket. `assignee: null` unassigns. */
export interface TicketPatch {
  status?: TicketStatus;
  category?: string;
  intent?: string;
  assignee?: string | null;
  /** Time the agent spent on this work, in seconds (agents' handling time R of communication efficiency). */
  timeSpentSeconds?: number;
  /** The client's id for this change: a retry with the same id applies (and counts) nothing again. */
  clientRequestId?: string;
}

/** An agent's correction of the classifier, kept as a labelled example for retraining. */

export interface TicketUpdatePlan {
  ticket: Ticket;
  /** Reporting counters the change adds (a resolution, a reopening, time spent), in the same transaction. */
  counters?: CounterIncrement;
  /** A correction to an earlier hour's counters (a reopening revokes its resolution's outcome), same transaction. */
  correction?: CounterIncrement;
  label?: LabelledExample;
  clientRequestId?: string;
}

/** Allowed status moves. `closed` is final: a new message after it starts a new ticket. */
const TRANSITIONS: Record<TicketStatus, readonly TicketStatus[]> = {
  open: ['pending', 'solved', 'closed'],
  pending: ['open', 'solved', 'closed'],
  solved: ['open', 'closed'],
  closed: [],
};

const isResolved = (s: TicketStatus) => s === 'solved' || s === 'closed';

/** The category an agent's patch sets, checked against the shipped taxonomy (ValidationError otherwise). */
export function correctedCategory(patch: TicketPatch): { category: string; intent?: string } | undefined {
  if (patch.intent !== undefined) {
    const ofIntent = INTENT_CATEGORY[patch.intent];
    if (!ofIntent) throw new ValidationError(`Unknown intent "${patch.intent}".`, [{ path: 'intent', message: `one of ${Object.keys(INTENT_CATEGORY).join(', ')}` }]);
    if (patch.category !== undefined && patch.category !== ofIntent) {
      throw new ValidationError(`Intent "${patch.intent}" belongs to category ${ofIntent}, not ${patch.category}.`, [{ path: 'category', message: `must be ${ofIntent} for this intent` }]);
    }
    return { category: ofIntent, intent: patch.intent };
  }
  if (patch.category === undefined) return undefined;
  if (!(SUPPORT_CATEGORIES as readonly string[]).includes(patch.category)) {
    throw new ValidationError(`Unknown category "${patch.category}".`, [{ path: 'category', message: `one of ${SUPPORT_CATEGORIES.join(', ')}` }]);
  }
  return { category: patch.category };
}

/**
 * Plans an agent's change to a ticket: the new ticket, the counters a resolution or a
 * reopening adds, and — when the category or intent is corrected — the labelled example
 * for the retraining job. Pure; the store applies the plan atomically.
 */
export function planTicketUpdate(
  current: Ticket,
  patch: TicketPatch,
  ctx: { now: Date; actor: string; firstMessageText?: string },
): TicketUpdatePlan {
  const at = ctx.now.toISOString();
  const next: Ticket = { ...current, updatedAt: at };
  const events: KpiEvent[] = [];
  let revokedAt: string | undefined;

  if (patch.status !== undefined && patch.status !== current.status) {
    if (!TRANSITIONS[current.status].includes(patch.status)) {
      throw new ConflictError(`A ${current.status} ticket cannot become ${patch.status}.`);
    }
    next.status = patch.status;
    if (isResolved(patch.status) && !isResolved(current.status)) {
      next.resolvedAt = at;
      next.outcomeCounted = true;
      const seconds = Math.max(0, Math.round((ctx.now.getTime() - Date.parse(current.createdAt)) / 1000));
      // Service effectiveness (seed 003): a resolution scores 1 until it is reopened.
      events.push({ type: 'ticket.resolved', resolutionSeconds: seconds, outcomeScore: 1 }, slaDecision('resolution', current.priority.score, seconds));
    }
    if (!isResolved(patch.status) && isResolved(current.status)) {
      // A reopened ticket is open work again: counted as opened so backlog (opened − resolved) stays true.
      delete next.resolvedAt;
      delete next.outcomeCounted;
      events.push({ type: 'ticket.opened' });
      if (current.resolvedAt && current.outcomeCounted) revokedAt = current.resolvedAt;
    }
  }
  if (patch.assignee !== undefined) {
    if (patch.assignee === null) delete next.assignee;
    else next.assignee = patch.assignee;
  }

  let label: LabelledExample | undefined;
  const corrected = correctedCategory(patch);
  if (corrected && (corrected.category !== current.category || (corrected.intent !== undefined && corrected.intent !== current.intent))) {
    next.category = corrected.category;
    if (corrected.intent !== undefined) next.intent = corrected.intent;
    else delete next.intent;
    next.ticketType = ticketTypeOf(next.category, next.intent);
    next.team = teamOf(next.category);
    if (ctx.firstMessageText) {
      label = {
        ticketId: current.ticketId,
        text: ctx.firstMessageText,
        category: corrected.category,
        ...(corrected.intent !== undefined ? { intent: corrected.intent } : {}),
        ...(current.category !== undefined ? { previousCategory: current.category } : {}),
        ...(current.intent !== undefined ? { previousIntent: current.intent } : {}),
        correctedBy: ctx.actor,
        correctedAt: at,
      };
    }
  }

  if (patch.timeSpentSeconds) events.push({ type: 'communication.logged', seconds: patch.timeSpentSeconds });

  const plan: TicketUpdatePlan = { ticket: next };
  if (events.length) {
    const counters = counterIncrement({ hour: hourOf(at), shardKey: `${current.ticketId}#${at}`, events, dimensions: dimensionsOf({ channel: next.channel, team: next.team, agent: next.assignee }) });
    // Counted where the resolution was: its hour, and the team and agent it had then (as far as the ticket still says).
    const revoked = revokedAt ? revokeOutcome(counters, revokedAt, current) : { counters };
    plan.counters = revoked.counters;
    if (revoked.correction) plan.correction = revoked.correction;
  }
  if (label) plan.label = label;
  if (patch.clientRequestId) plan.clientRequestId = patch.clientRequestId;
  return plan;
}
