import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { crmStores, type CrmStores } from '../../shared/adapters/crm-stores';
import { DynamoReportingStore } from '../../shared/adapters/dynamo-reporting-store';
import { analysePeriod } from '../../shared/analytics/needs-job';
import { rollUpRouting } from '../../shared/analytics/routing-counts';
import type { Classification, InboundMessage } from '../../shared/domain/message';
import { routeMessage } from '../../shared/routing/route-message';
import { localDocumentClient, ownTables } from './local-clients';
import { inboundMessage } from '../fixtures/inbound-message';

let crm: CrmStores;
let reporting: DynamoReportingStore;

beforeAll(async () => {
  const env = inject('localEnv');
  const doc = localDocumentClient(env);
  // Tables of its own: the rollup's last hour is global to a reporting table.
  const own = await ownTables(env);
  crm = crmStores({ tableName: own.crm, reportingTableName: own.reporting, client: doc });
  reporting = new DynamoReportingStore({ tableName: own.reporting, client: doc });
});

const classified = (category: string, intent: string): Classification => ({
  language: { code: 'en', confidence: 0.9 },
  sentiment: { score: 0, comparative: 0, label: 'neutral' },
  urgency: { score: 10, reasons: [] },
  topic: { category, intent, confidence: 0.9, outOfScope: false },
});

async function deliver(text: string, at: string, c: Classification, routedAt = new Date(at)) {
  const message = inboundMessage({ channel: 'email', thread: `needs_${randomUUID().replaceAll('-', '')}`, text, at });
  await crm.putInboundMessage(message);
  await routeMessage(crm, { message, classification: c }, routedAt);
  return message;
}

describe('need analysis job on the local emulators', () => {
  const year = 4000 + Math.floor(Math.random() * 900);

  it('reads the samples the rollup bundled and a late message wrote (once each), and stores top terms per category × channel', async () => {
    const day = `${year}-02-03`;
    const refunds = ['I want a refund for my broken kettle', 'refund please, the kettle arrived broken', 'How long does a refund take?'];
    const deliveries = ['My parcel delivery is late', 'When will the parcel delivery arrive?', 'delivery of my parcel failed twice'];
    const sent: InboundMessage[] = [];
    for (const [i, t] of refunds.entries()) sent.push(await deliver(t, `${day}T0${i + 1}:00:00.000Z`, classified('REFUND', 'get_refund')));
    for (const [i, t] of deliveries.slice(0, 2).entries()) await deliver(t, `${day}T1${i + 1}:00:00.000Z`, classified('DELIVERY', 'delivery_period'));
    const after = new Date(`${day}T23:30:00.000Z`);
    const first = await rollUpRouting(crm, reporting, after, `${day}T00`);
    expect(first.rolledUp).toBe(23);
    // Routed after its hour was rolled up: it writes its own sample, which the next rollup leaves alone.
    await deliver(deliveries[2]!, `${day}T13:00:00.000Z`, classified('DELIVERY', 'delivery_period'), after);
    // A redelivery writes no second sample; the next run rolls up the last hour (no messages).
    await routeMessage(crm, { message: sent[0]!, classification: classified('REFUND', 'get_refund') }, after);
    expect((await rollUpRouting(crm, reporting, new Date(`${year}-02-04T00:15:00.000Z`), `${day}T00`)).rolledUp).toBe(1);

    const samples = await reporting.readTextSamples(day);
    expect(samples).toHaveLength(6);
    expect(new Set(samples.map((t) => t.messageId)).size).toBe(6);
    expect(samples.find((t) => t.messageId === sent[0]!.messageId)).toMatchObject({ category: 'REFUND', channel: 'email', text: refunds[0] });

    const record = await analysePeriod(reporting, 'day', day, new Date(), { timeZone: 'UTC', maxMessages: 1000, topics: 2 });
    expect(record.messages).toBe(6);
    const group = (name: string) => record.analysis.groups.find((g) => g.group === name);
    expect(group('REFUND × email')?.messages).toBe(3);
    expect(group('REFUND × email')?.frequent.map((t) => t.label)).toEqual(expect.arrayContaining(['refund', 'kettle']));
    expect(group('DELIVERY × email')?.distinctive[0]?.label).toMatch(/parcel|delivery/);
    expect(await reporting.getNeedAnalysis('day', day)).toEqual(record);
  });

  it('reads the hours not rolled up yet from their messages, and counts none twice once they are', async () => {
    const day = `${year}-03-05`;
    const texts = ['my parcel never arrived', 'parcel arrived broken', 'where is the parcel'];
    for (const [i, t] of texts.entries()) await deliver(t, `${day}T10:0${i}:00.000Z`, classified('DELIVERY', 'delivery_period'));
    const now = new Date(`${day}T10:30:00.000Z`);
    const opts = { timeZone: 'UTC', maxMessages: 1000, topics: 2 };
    // Nothing stored for these hours yet: without the messages the analysis sees none.
    expect((await analysePeriod(reporting, 'day', day, now, opts)).messages).toBe(0);
    expect((await analysePeriod(reporting, 'day', day, now, opts, crm)).messages).toBe(3);
    // Rolled up (bundled): the same three, once each, whether read with the messages or not.
    const later = new Date(`${day}T11:20:00.000Z`);
    await rollUpRouting(crm, reporting, later, `${day}T00`);
    expect((await analysePeriod(reporting, 'day', day, later, opts, crm)).messages).toBe(3);
    expect((await analysePeriod(reporting, 'day', day, later, opts)).messages).toBe(3);
  });
});
