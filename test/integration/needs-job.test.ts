import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { crmStores, type CrmStores } from '../../shared/adapters/crm-stores';
import { DynamoReportingStore } from '../../shared/adapters/dynamo-reporting-store';
import { analysePeriod } from '../../shared/analytics/needs-job';
import type { Classification, InboundMessage } from '../../shared/domain/message';
import { routeMessage } from '../../shared/routing/route-message';
import { localDocumentClient } from './local-clients';
import { inboundMessage } from '../fixtures/inbound-message';

let crm: CrmStores;
let reporting: DynamoReportingStore;

beforeAll(() => {
  const env = inject('localEnv');
  const doc = localDocumentClient(env);
  crm = crmStores({ tableName: env.CRM_TABLE!, reportingTableName: env.REPORTING_TABLE!, client: doc });
  reporting = new DynamoReportingStore({ tableName: env.REPORTING_TABLE!, client: doc });
});

const classified = (category: string, intent: string): Classification => ({
  language: { code: 'en', confidence: 0.9 },
  sentiment: { score: 0, comparative: 0, label: 'neutral' },
  urgency: { score: 10, reasons: [] },
  topic: { category, intent, confidence: 0.9, outOfScope: false },
});

async function deliver(text: string, at: string, c: Classification) {
  const message = inboundMessage({ channel: 'email', thread: `needs_${randomUUID().replaceAll('-', '')}`, text, at });
  await crm.putInboundMessage(message);
  await routeMessage(crm, { message, classification: c }, new Date(at));
  return message;
}

describe('need analysis job on the local emulators', () => {
  const year = 4000 + Math.floor(Math.random() * 900);

  it('reads the text samples routing wrote (once each) and stores top terms per category × channel', async () => {
    const day = `${year}-02-03`;
    const refunds = ['I want a refund for my broken kettle', 'refund please, the kettle arrived broken', 'How long does a refund take?'];
    const deliveries = ['My parcel delivery is late', 'When will the parcel delivery arrive?', 'delivery of my parcel failed twice'];
    const sent: InboundMessage[] = [];
    for (const [i, t] of refunds.entries()) sent.push(await deliver(t, `${day}T0${i + 1}:00:00.000Z`, classified('REFUND', 'get_refund')));
    for (const [i, t] of deliveries.entries()) await deliver(t, `${day}T1${i + 1}:00:00.000Z`, classified('DELIVERY', 'delivery_period'));
    // A redelivery writes no second sample: the routing transaction is cancelled as a whole.
    await routeMessage(crm, { message: sent[0]!, classification: classified('REFUND', 'get_refund') }, new Date());

    const record = await analysePeriod(reporting, 'day', day, new Date(), { timeZone: 'UTC', maxMessages: 1000, topics: 2 });
    expect(record.messages).toBe(6);
    const group = (name: string) => record.analysis.groups.find((g) => g.group === name);
    expect(group('REFUND × email')?.messages).toBe(3);
    expect(group('REFUND × email')?.frequent.map((t) => t.label)).toEqual(expect.arrayContaining(['refund', 'kettle']));
    expect(group('DELIVERY × email')?.distinctive[0]?.label).toMatch(/parcel|delivery/);
    expect(await reporting.getNeedAnalysis('day', day)).toEqual(record);
  });
});
