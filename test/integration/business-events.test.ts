import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoReportingStore } from '../../shared/adapters/dynamo-reporting-store';
import { businessEventCounters, businessEventSchema } from '../../shared/analytics/business-events';
import { runKpiJob } from '../../shared/analytics/kpi-job';
import { localDocumentClient } from './local-clients';

let store: DynamoReportingStore;
beforeAll(() => {
  const env = inject('localEnv');
  store = new DynamoReportingStore({ tableName: env.REPORTING_TABLE!, client: localDocumentClient(env) });
});

describe('business events into the KPI rows', () => {
  const year = 5000 + Math.floor(Math.random() * 900);
  const day = `${year}-07-14`;
  const record = (raw: Record<string, unknown>) => {
    const e = businessEventSchema.parse(raw);
    return store.recordBusinessEvent(e.eventId, businessEventCounters(e));
  };

  it('counts each event id once and gives conversion, channel value, marketing effect and data quality', async () => {
    const id = () => `ev_${randomUUID()}`;
    const visits = id();
    expect(await record({ eventId: visits, type: 'visit.recorded', at: `${day}T09:00:00Z`, channel: 'chat', count: 200 })).toBe('recorded');
    expect(await record({ eventId: visits, type: 'visit.recorded', at: `${day}T09:00:00Z`, channel: 'chat', count: 200 })).toBe('duplicate');
    for (const value of [30, 50]) await record({ eventId: id(), type: 'order.placed', at: `${day}T10:00:00Z`, channel: 'chat', value });
    await record({ eventId: id(), type: 'marketing.cost', at: `${day}T08:00:00Z`, channel: 'chat', amount: 40 });
    await record({ eventId: id(), type: 'records.checked', at: `${day}T07:00:00Z`, records: 1000, withAnomalies: 20 });

    await runKpiJob(store, new Date(`${day}T23:00:00Z`), { timeZone: 'UTC', lookbackDays: 1 });
    const row = async (dimension: string) => (await store.listKpiRows('day', dimension, { from: day, to: day }, { limit: 1 })).items[0]!.kpis;
    const chat = await row('channel#chat');
    expect(chat.conversionRate).toEqual({ value: 0.01 }); // 2 orders / 200 visits
    expect(chat.averageOrderValue).toEqual({ value: 40 });
    expect(chat.channelValue).toEqual({ value: 80 }); // 2 orders × 40
    expect(chat.marketingEffect).toEqual({ value: 2 }); // 80 revenue / 40 cost
    const all = await row('all');
    expect(all.dataQualityIndex).toEqual({ value: 50 }); // N / D = 1000 / 20
    expect(all.anomalyShare).toEqual({ value: 0.02 });
  });
});
