import { describe, expect, it } from 'vitest';
import { businessEventCounters, businessEventSchema } from '../../../shared/analytics/business-events';

describe('business events', () => {
  it('turns visits, orders and cost into counters of their hour, under all and the channel', () => {
    const visits = businessEventCounters(businessEventSchema.parse({ eventId: 'v1', type: 'visit.recorded', at: '2026-03-07T10:20:00Z', channel: 'chat', count: 40 }));
    expect(visits.hour).toBe('2026-03-07T10');
    expect(visits.cells).toEqual({ 'visits@all': 40, 'visits@channel#chat': 40 });
    const order = businessEventCounters(businessEventSchema.parse({ eventId: 'o1', type: 'order.placed', at: '2026-03-07T10:21:00Z', channel: 'chat', value: 25.5 }));
    expect(order.cells).toEqual({ 'orders@all': 1, 'orders@channel#chat': 1, 'revenue@all': 25.5, 'revenue@channel#chat': 25.5 });
    const cost = businessEventCounters(businessEventSchema.parse({ eventId: 'c1', type: 'marketing.cost', at: '2026-03-07T00:00:00Z', amount: 100 }));
    expect(cost.cells).toEqual({ 'cost@all': 100 });
  });

  it('refuses anomalies above the records checked, unknown types and bad ids', () => {
    expect(businessEventSchema.safeParse({ eventId: 'q', type: 'records.checked', at: '2026-03-07T00:00:00Z', records: 5, withAnomalies: 6 }).success).toBe(false);
    expect(businessEventSchema.safeParse({ eventId: 'q', type: 'refund.made', at: '2026-03-07T00:00:00Z' }).success).toBe(false);
    expect(businessEventSchema.safeParse({ eventId: 'has space', type: 'visit.recorded', at: '2026-03-07T00:00:00Z' }).success).toBe(false);
  });
});
