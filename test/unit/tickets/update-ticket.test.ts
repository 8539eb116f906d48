import { describe, expect, it } from 'vitest';
import { ConflictError, ValidationError } from '../../../shared/domain/errors';
import type { Ticket } from '../../../shared/domain/ticket';
import { ticketFixture } from '../../fixtures/ticket';
import { planTicketUpdate } from '../../../shared/tickets/update-ticket';

const ticket = (over: Partial<Ticket> = {}): Ticket => ticketFixture({ channel: 'email', subject: 'Refund?', lastMessagePreview: 'I want my money back', category: 'ORDER', intent: 'track_order', ...over });
const ctx = { now: new Date('2026-03-07T12:30:00.000Z'), actor: 'key_agent', firstMessageText: 'I want my money back' };

describe('planTicketUpdate', () => {
  it('solves a ticket and counts its resolution time (2.5 h) in the hour it was solved', () => {
    const plan = planTicketUpdate(ticket(), { status: 'solved' }, ctx);
    expect(plan.ticket).toMatchObject({ status: 'solved', resolvedAt: '2026-03-07T12:30:00.000Z', updatedAt: '2026-03-07T12:30:00.000Z', outcomeCounted: true });
    expect(plan.counters?.hour).toBe('2026-03-07T12');
    expect(plan.counters?.cells).toMatchObject({ 'ticketsResolved@all': 1, 'ticketsResolved@channel#email': 1, 'resolutionSecondsSum@all': 9000 });
    // Its service outcome scores 1 (until it is reopened).
    expect(plan.counters?.cells).toMatchObject({ 'outcomesCount@all': 1, 'outcomesWeightSum@all': 1, 'outcomesWeightedSum@all': 1 });
    expect(plan.correction).toBeUndefined();
    expect(plan.label).toBeUndefined();
  });

  it('revokes the reopened resolution’s outcome in the hour it was resolved, or in the same item when that is this hour', () => {
    const later = planTicketUpdate(ticket({ status: 'solved', resolvedAt: '2026-03-07T09:15:00.000Z', outcomeCounted: true, team: 'billing' }), { status: 'open' }, ctx);
    expect(later.ticket).not.toHaveProperty('outcomeCounted');
    expect(later.correction).toEqual({
      hour: '2026-03-07T09',
      shard: later.counters!.shard,
      cells: { 'outcomesRevokedWeightedSum@all': 1, 'outcomesRevokedWeightedSum@channel#email': 1, 'outcomesRevokedWeightedSum@team#billing': 1 },
    });
    expect(later.counters!.cells['outcomesRevokedWeightedSum@all']).toBeUndefined();
    const sameHour = planTicketUpdate(ticket({ status: 'solved', resolvedAt: '2026-03-07T12:05:00.000Z', outcomeCounted: true }), { status: 'open' }, ctx);
    expect(sameHour.correction).toBeUndefined();
    expect(sameHour.counters!.cells).toMatchObject({ 'ticketsOpened@all': 1, 'outcomesRevokedWeightedSum@all': 1 });
    // A resolution that counted no outcome (made before outcomes were counted) has none to revoke.
    const legacy = planTicketUpdate(ticket({ status: 'solved', resolvedAt: '2026-03-07T09:15:00.000Z' }), { status: 'open' }, ctx);
    expect(legacy.correction).toBeUndefined();
    expect(legacy.counters!.cells['outcomesRevokedWeightedSum@all']).toBeUndefined();
  });

  it('counts the time an agent logs as communication (handling) time, alone or with a change', () => {
    expect(planTicketUpdate(ticket(), { timeSpentSeconds: 600 }, ctx).counters?.cells).toEqual({
      'communicationSeconds@all': 600,
      'communicationSeconds@channel#email': 600,
      'handlingLogs@all': 1,
      'handlingLogs@channel#email': 1,
    });
    expect(planTicketUpdate(ticket({ assignee: 'key_ana' }), { status: 'solved', timeSpentSeconds: 90 }, ctx).counters?.cells).toMatchObject({
      'communicationSeconds@agent#key_ana': 90,
      'ticketsResolved@agent#key_ana': 1,
    });
  });

  it('counts a reopening as opened work again and clears resolvedAt', () => {
    const plan = planTicketUpdate(ticket({ status: 'solved', resolvedAt: '2026-03-07T11:00:00.000Z' }), { status: 'open' }, ctx);
    expect(plan.ticket.status).toBe('open');
    expect(plan.ticket.resolvedAt).toBeUndefined();
    expect(plan.counters?.cells).toMatchObject({ 'ticketsOpened@all': 1 });
  });

  it('refuses moves out of closed, and unknown categories or mismatched intents', () => {
    expect(() => planTicketUpdate(ticket({ status: 'closed' }), { status: 'open' }, ctx)).toThrow(ConflictError);
    expect(() => planTicketUpdate(ticket(), { category: 'PIZZA' }, ctx)).toThrow(ValidationError);
    expect(() => planTicketUpdate(ticket(), { category: 'ORDER', intent: 'get_refund' }, ctx)).toThrow('Intent "get_refund" belongs to category REFUND, not ORDER.');
  });

  it('turns a category correction into a labelled example and re-derives type and team', () => {
    const plan = planTicketUpdate(ticket(), { intent: 'get_refund' }, ctx);
    expect(plan.ticket).toMatchObject({ category: 'REFUND', intent: 'get_refund', ticketType: 'inquiry', team: 'billing' });
    expect(plan.label).toEqual({
      ticketId: 'tkt_1',
      text: 'I want my money back',
      category: 'REFUND',
      intent: 'get_refund',
      previousCategory: 'ORDER',
      previousIntent: 'track_order',
      correctedBy: 'key_agent',
      correctedAt: '2026-03-07T12:30:00.000Z',
    });
    expect(plan.counters).toBeUndefined();
    // Setting what it already is corrects nothing.
    expect(planTicketUpdate(ticket(), { category: 'ORDER', intent: 'track_order' }, ctx).label).toBeUndefined();
  });

  it('assigns and unassigns', () => {
    expect(planTicketUpdate(ticket(), { assignee: 'agent_7' }, ctx).ticket.assignee).toBe('agent_7');
    expect(planTicketUpdate(ticket({ assignee: 'agent_7' }), { assignee: null }, ctx).ticket.assignee).toBeUndefined();
  });
});
