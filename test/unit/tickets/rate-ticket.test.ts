import { describe, expect, it } from 'vitest';
import { computeKpis, mergeCounters, unflattenCounters } from '../../../shared/analytics/kpi';
import { ConflictError } from '../../../shared/domain/errors';
import type { Ticket } from '../../../shared/domain/ticket';
import { ticketFixture } from '../../fixtures/ticket';
import { planRating } from '../../../shared/tickets/rate-ticket';

const ticket = (over: Partial<Ticket> = {}): Ticket => ticketFixture({ status: 'solved', priority: { score: 10, reasons: [] }, team: 'billing', ...over });
const ctx = { now: new Date('2026-03-08T09:15:00.000Z'), actor: 'key_survey' };

/** The cells of one dimension as KPI counters. */
const countersOf = (cells: Record<string, number>, dimension: string) =>
  unflattenCounters(Object.fromEntries(Object.entries(cells).filter(([k]) => k.endsWith(`@${dimension}`)).map(([k, v]) => [k.split('@')[0]!, v])));

describe('planRating', () => {
  it('records one rating and counts it under the channel and team in the hour it was given', () => {
    const { rating, counters } = planRating(ticket(), { score: 4, comment: 'quick' }, ctx);
    expect(rating).toEqual({ score: 4, comment: 'quick', ratedAt: '2026-03-08T09:15:00.000Z', recordedBy: 'key_survey' });
    expect(counters.hour).toBe('2026-03-08T09');
    expect(countersOf(counters.cells, 'team#billing')).toMatchObject({ ratingsCount: 1, ratingsSum: 4, satisfiedCount: 1 });
  });

  it('feeds CSAT and customer satisfaction: ratings 5, 4 and 2 give CSAT 2/3 and a mean of 11/3', () => {
    const plans = [5, 4, 2].map((score, i) => planRating(ticket({ ticketId: `t${i}` }), { score: score as 5 | 4 | 2 }, ctx));
    const kpis = computeKpis(mergeCounters(...plans.map((p) => countersOf(p.counters.cells, 'all'))));
    expect(kpis.csat.value).toBeCloseTo(2 / 3);
    expect(kpis.customerSatisfaction.value).toBeCloseTo(11 / 3);
  });

  it('refuses a ticket still open, and a second rating', () => {
    expect(() => planRating(ticket({ status: 'open' }), { score: 5 }, ctx)).toThrow(ConflictError);
    const rated = { ...ticket(), rating: { score: 3 as const, ratedAt: 'x', recordedBy: 'y' } };
    expect(() => planRating(rated, { score: 5 }, ctx)).toThrow('already rated');
  });
});
