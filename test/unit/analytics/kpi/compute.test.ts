import { describe, expect, it } from 'vitest';
import { computeKpis, KPI_NAMES } from '../../../../shared/analytics/kpi/compute';
import {
  countersFor,
  countersFrom,
  emptyCounters,
  flattenCounters,
  mergeCounters,
  unflattenCounters,
  type KpiEvent,
} from '../../../../shared/analytics/kpi/counters';
import { kpiDimension, kpiRowKey, parseKpiRowKey } from '../../../../shared/analytics/kpi/row-key';

const day1: KpiEvent[] = [
  { type: 'message.received' },
  { type: 'message.received' },
  { type: 'message.sent' },
  { type: 'ticket.opened' },
  { type: 'ticket.opened', complaint: true },
  { type: 'ticket.first-responded', waitSeconds: 20 },
  { type: 'ticket.first-responded', waitSeconds: 45 },
  { type: 'ticket.resolved', resolutionSeconds: 3000, outcomeScore: 1 },
  { type: 'sla.decided', met: true },
  { type: 'rating.received', score: 5 },
  { type: 'rating.received', score: 2 },
  { type: 'communication.logged', seconds: 1800 },
  { type: 'records.checked', records: 100, withAnomalies: 4 },
  { type: 'visit.recorded' },
  { type: 'visit.recorded' },
  { type: 'order.placed', value: 30 },
  { type: 'marketing.cost', amount: 10 },
];
const day2: KpiEvent[] = [
  { type: 'message.received' },
  { type: 'message.sent' },
  { type: 'message.sent' },
  { type: 'ticket.opened', complaint: true },
  { type: 'ticket.first-responded', waitSeconds: 100 },
  { type: 'ticket.resolved', resolutionSeconds: 5000, outcomeScore: 0, outcomeWeight: 3 },
  { type: 'sla.decided', met: false },
  { type: 'sla.decided', met: true },
  { type: 'rating.received', score: 4, weight: 2 },
  { type: 'communication.logged', seconds: 1800 },
  { type: 'records.checked', records: 100, withAnomalies: 1 },
  { type: 'visit.recorded' },
  { type: 'visit.recorded' },
  { type: 'order.placed', value: 50 },
  { type: 'marketing.cost', amount: 30 },
];

const countersOf = (events: KpiEvent[]) => mergeCounters(...events.map(countersFor));

describe('service effectiveness with reopened resolutions', () => {
  it('scores a resolution 1 and its reopening takes it back to 0: (1 + 1 − 1) / 2', () => {
    const k = computeKpis(
      countersOf([
        { type: 'ticket.resolved', resolutionSeconds: 60, outcomeScore: 1 },
        { type: 'ticket.resolved', resolutionSeconds: 90, outcomeScore: 1 },
        { type: 'ticket.outcome-revoked', outcomeScore: 1 },
      ]),
      {},
    );
    expect(k.serviceEffectiveness).toEqual({ value: 0.5 });
  });
});

describe('computeKpis on counters built from events', () => {
  it('computes every index of two days worked by hand', () => {
    const k = computeKpis(countersOf([...day1, ...day2]), { backlog: 7, previousActiveCustomers: 10, retainedCustomers: 6 });
    expect(k).toEqual({
      messagesIn: { value: 3 },
      ticketsOpened: { value: 3 },
      ticketsResolved: { value: 2 },
      backlog: { value: 7 },
      firstResponseMeanSeconds: { value: 55 }, // (20 + 45 + 100) / 3
      // 20 in [0,30), 45 in [30,60), 100 in [60,120): rank 1.5 → 30 + 30·0.5
      firstResponseMedianSeconds: { value: 45 },
      // rank 2.7 → 60 + 60·0.7
      firstResponseP90Seconds: { value: expect.closeTo(102, 9) },
      resolutionMeanSeconds: { value: 4000 },
      // 3000 in [1800,3600), 5000 in [3600,7200): rank 1 fills the first bucket → 1800 + 1800·1
      resolutionMedianSeconds: { value: 3600 },
      resolutionP90Seconds: { value: expect.closeTo(3600 + 3600 * 0.8, 9) }, // rank 1.8
      slaAttainment: { value: 2 / 3 },
      csat: { value: 2 / 3 }, // 5 and 4 of 5, 2, 4
      customerSatisfaction: { value: 15 / 4 }, // (5 + 2 + 2·4) / (1 + 1 + 2)
      serviceEffectiveness: { value: 0.25 }, // (1·1 + 3·0) / 4
      dataQualityIndex: { value: 40 }, // 200 / 5
      anomalyShare: { value: 0.025 },
      communicationEfficiency: { value: 6 }, // 6 messages in 1 agent-hour
      serviceQuality: { value: 1 }, // F = 2 satisfied, T = 2 complaints
      marketingEffect: { value: 2 }, // 80 / 40
      channelSatisfaction: { value: 11 / 3 }, // (5 + 2 + 4) / 3, unweighted
      conversionRate: { value: 0.5 }, // 2 orders / 4 visits
      averageOrderValue: { value: 40 },
      channelValue: { value: 80 }, // 2 × 40
      churnRate: { value: 0.4 }, // (10 − 6) / 10
    });
    expect(Object.keys(k)).toEqual([...KPI_NAMES]);
  });

  it('gives the same indices for two days merged as for the two days counted together', () => {
    const merged = mergeCounters(countersOf(day1), countersOf(day2));
    expect(merged).toEqual(countersOf([...day1, ...day2]));
    expect(computeKpis(merged)).toEqual(computeKpis(countersOf([...day1, ...day2])));
    // and merging is order-free
    expect(mergeCounters(countersOf(day2), countersOf(day1))).toEqual(merged);
  });

  it('reports an empty period as zeros and undefined indices with reasons, never NaN or Infinity', () => {
    const k = computeKpis(emptyCounters());
    expect(k.messagesIn).toEqual({ value: 0 });
    expect(k.channelValue).toEqual({ value: 0 });
    expect(k.anomalyShare).toMatchObject({ value: null });
    for (const name of KPI_NAMES) {
      const v = k[name];
      if (v.value === null) expect(v.undefinedReason.length).toBeGreaterThan(5);
      else expect(Number.isFinite(v.value)).toBe(true);
    }
    expect(k.backlog).toEqual({ value: null, undefinedReason: 'backlog not provided for the period end' });
    expect(k.dataQualityIndex.value).toBeNull();
    expect(k.serviceQuality.value).toBeNull();
    expect(k.communicationEfficiency.value).toBeNull();
    expect(JSON.stringify(k)).not.toMatch(/NaN|Infinity/);
  });

  it('round-trips counters through flat attributes for atomic ADDs', () => {
    const c = countersOf(day1);
    const flat = flattenCounters(c);
    expect(flat).toMatchObject({ messagesIn: 2, firstResponseHistogram_0: 1, firstResponseHistogram_1: 1 });
    expect(Object.values(flat).every((v) => v !== 0)).toBe(true); // zeros are left out
    expect(unflattenCounters({ ...flat, pk: 'ignored' })).toEqual(c);
    expect(countersFrom({ messagesIn: 3 })).toEqual({ ...emptyCounters(), messagesIn: 3 });
  });
});

describe('kpiRowKey', () => {
  it('names a row deterministically and parses back', () => {
    const key = kpiRowKey('day', '2024-03-07', kpiDimension('channel', 'email'));
    expect(key).toBe('KPI#day#2024-03-07#channel#email');
    expect(parseKpiRowKey(key)).toEqual({ granularity: 'day', periodKey: '2024-03-07', dimension: 'channel#email' });
    expect(kpiRowKey('week', '2020-W53', 'all')).toBe('KPI#week#2020-W53#all');
    expect(parseKpiRowKey('KPI#month#2024-03#agent#ag_1').dimension).toBe('agent#ag_1');
  });

  it('rejects a key whose period does not match its granularity, and bad dimensions', () => {
    expect(() => kpiRowKey('week', '2024-03-07', 'all')).toThrow(/not a week/);
    expect(() => kpiDimension('team', 'a#b')).toThrow();
    expect(() => kpiRowKey('day', '2024-03-07', 'queue#x' as never)).toThrow();
    expect(() => parseKpiRowKey('KPI#day#2024-03#all')).toThrow();
  });
});
