import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { crmStores, type CrmStores } from '../../shared/adapters/crm-stores';
import { DynamoReportingStore } from '../../shared/adapters/dynamo-reporting-store';
import { periodKey } from '../../shared/analytics/kpi';
import { activityOf } from '../../shared/analytics/customer-activity';
import { runKpiJob } from '../../shared/analytics/kpi-job';
import type { Channel, Classification, InboundMessage } from '../../shared/domain/message';
import type { KpiRow } from '../../shared/analytics/reporting-store';
import { routeMessage, type ActivityContext } from '../../shared/routing/route-message';
import { localDocumentClient, ownTables } from './local-clients';
import { inboundMessage } from '../fixtures/inbound-message';

let crm: CrmStores;
let reporting: DynamoReportingStore;

beforeAll(async () => {
  const env = inject('localEnv');
  const doc = localDocumentClient(env);
  // Tables of its own: backlog comes from all-time totals, which other files' tickets would move.
  const own = await ownTables(env);
  crm = crmStores({ tableName: own.crm, reportingTableName: own.reporting, client: doc });
  reporting = new DynamoReportingStore({ tableName: own.reporting, client: doc });
});

const classification: Classification = {
  language: { code: 'en', confidence: 0.9 },
  sentiment: { score: 0, comparative: 0, label: 'neutral' },
  urgency: { score: 10, reasons: [] },
};

const message = (channel: Channel, thread: string, at: string): InboundMessage => inboundMessage({ channel, thread, text: 'Where is my order?', at });

/** As the route function does: the customer's activity markers are claimed with the routing. */
async function deliver(m: InboundMessage, now: Date) {
  await crm.putInboundMessage(m);
  const activity = (customerId: string, opts: ActivityContext) => activityOf(reporting, { customerId, channel: m.channel, at: m.receivedAt, timeZone: 'UTC', messageId: m.messageId, ...opts });
  return routeMessage(crm, { message: m, classification }, now, { activity });
}

const rowOf = (rows: KpiRow[], dimension: string, period: string) => rows.find((r) => r.dimension === dimension && r.periodKey === period);
const value = (row: KpiRow | undefined, name: string) => row?.kpis[name as keyof KpiRow['kpis']]?.value;

describe('KPI job on the local emulators', () => {
  // A day of its own far in the future, so rows of other tests (same tables) never mix in.
  const year = 2100 + Math.floor(Math.random() * 800);
  const day = `${year}-03-10`;
  const at = (hhmm: string) => `${day}T${hhmm}:00.000Z`;
  const thread = () => `kpi_${randomUUID().replaceAll('-', '')}`;

  it('counts routed messages once, rolls days into weeks and months, and a re-run upserts the same rows', async () => {
    const chat = thread();
    const first = message('chat', chat, at('09:15'));
    await deliver(first, new Date(at('09:16')));
    await deliver(message('chat', chat, at('09:40')), new Date(at('09:41')));
    await deliver(message('email', thread(), at('14:05')), new Date(at('14:06')));
    // A redelivery of the first message changes nothing, counters included.
    expect((await routeMessage(crm, { message: first, classification }, new Date(at('09:20')))).outcome).toBe('already-routed');

    const now = new Date(`${day}T23:00:00.000Z`);
    const result = await runKpiJob(reporting, now, { timeZone: 'UTC', lookbackDays: 3 }, crm);
    expect(result.dimensions).toEqual(expect.arrayContaining(['all', 'channel#chat', 'channel#email']));

    const read = async (granularity: KpiRow['granularity'], dimension: string, period: string) =>
      (await reporting.listKpiRows(granularity, dimension, { from: period, to: period }, { limit: 5 })).items[0];
    const all = await read('day', 'all', day);
    expect(value(all, 'messagesIn')).toBe(3);
    expect(value(all, 'ticketsOpened')).toBe(2);
    expect(value(await read('day', 'channel#chat', day), 'messagesIn')).toBe(2);
    expect(value(await read('day', 'channel#email', day), 'ticketsOpened')).toBe(1);
    expect(value(await read('week', 'all', periodKey('week', day)), 'messagesIn')).toBe(3);
    expect(value(await read('month', 'all', `${year}-03`), 'messagesIn')).toBe(3);
    // Nothing resolved yet: the mean is undefined with a reason, never NaN.
    expect(all?.kpis.resolutionMeanSeconds).toEqual({ value: null, undefinedReason: 'no tickets resolved in the period' });
    expect(value(all, 'backlog')).toBeGreaterThanOrEqual(2);

    await runKpiJob(reporting, now, { timeZone: 'UTC', lookbackDays: 3 }, crm);
    const again = await read('day', 'all', day);
    expect(again).toEqual(all);
    const list = await reporting.listKpiRows('day', 'all', { from: `${year}-03-07`, to: `${year}-03-10` }, { limit: 10 });
    expect(list.items.map((r) => r.periodKey)).toEqual([`${year}-03-07`, `${year}-03-08`, `${year}-03-09`, day]);
  });

  it('corrects a past period when a late message arrives, on the next run', async () => {
    const late = `${year}-04-02`;
    const now = new Date(`${year}-04-05T12:00:00.000Z`);
    await runKpiJob(reporting, now, { timeZone: 'UTC', lookbackDays: 7 }, crm);
    const before = (await reporting.listKpiRows('day', 'channel#sms', { from: late, to: late }, { limit: 1 })).items;
    expect(value(before[0], 'messagesIn') ?? 0).toBe(0);

    await deliver(message('sms', `+1604555${String(Math.floor(Math.random() * 1e4)).padStart(4, '0')}`, `${late}T08:00:00.000Z`), now);
    await runKpiJob(reporting, now, { timeZone: 'UTC', lookbackDays: 7 }, crm);
    const after = (await reporting.listKpiRows('day', 'channel#sms', { from: late, to: late }, { limit: 1 })).items;
    expect(rowOf(after, 'channel#sms', late) && value(after[0], 'messagesIn')).toBe(1);
  });

  it('starts days at local midnight in the configured time zone', async () => {
    const d = `${year}-06-20`;
    // 05:30 UTC on the 21st is still the 20th in Vancouver (UTC−7 in summer).
    await deliver(message('chat', thread(), `${year}-06-21T05:30:00.000Z`), new Date(`${year}-06-21T05:31:00.000Z`));
    await runKpiJob(reporting, new Date(`${year}-06-21T12:00:00.000Z`), { timeZone: 'America/Vancouver', lookbackDays: 2 }, crm);
    const row = (await reporting.listKpiRows('day', 'channel#chat', { from: d, to: d }, { limit: 1 })).items[0];
    expect(row?.start).toBe(`${d}T07:00:00.000Z`);
    expect(value(row, 'messagesIn')).toBe(1);
  });

  it('gives the monthly churn rate, overall and per channel, from the customers active in the month before and again', async () => {
    const m1 = `${year}-09`;
    const m2 = `${year}-10`;
    const contact = async (email: string, at: string, channel: Channel = 'email') => {
      // A chat visitor who gives their email is the same customer.
      const m = channel === 'email' ? { ...message('email', thread(), at), from: email } : { ...message(channel, thread(), at), alsoKnownAs: [{ channel: 'email' as const, address: email }] };
      const out = await deliver(m, new Date(at));
      if (!out.customerId) throw new Error('no customer');
      // Delivered twice, as a redelivery would: counted once.
      expect((await deliver(m, new Date(at))).outcome).toBe('already-routed');
    };
    const [a, b, c] = ['a', 'b', 'c'].map((x) => `${x}_${randomUUID().slice(0, 8)}@churn.example`);
    await contact(a!, `${m1}-03T10:00:00.000Z`);
    await contact(b!, `${m1}-20T10:00:00.000Z`);
    await contact(a!, `${m1}-21T10:00:00.000Z`);
    // In October a writes by chat only, c (new) by email.
    await contact(a!, `${m2}-05T10:00:00.000Z`, 'chat');
    await contact(c!, `${m2}-06T10:00:00.000Z`);
    await runKpiJob(reporting, new Date(`${m2}-28T12:00:00.000Z`), { timeZone: 'UTC', lookbackDays: 10 }, crm);
    const month = async (dimension: string) => (await reporting.listKpiRows('month', dimension, { from: m2, to: m2 }, { limit: 1 })).items[0];
    // Two active in September, one of them again in October: (2 − 1) / 2.
    expect((await month('all'))?.kpis.churnRate).toEqual({ value: 0.5 });
    // On email both September customers are gone (a moved to chat): (2 − 0) / 2; chat had nobody in September.
    expect((await month('channel#email'))?.kpis.churnRate).toEqual({ value: 1 });
    expect((await month('channel#chat'))?.kpis.churnRate.value).toBeNull();
    const day = (await reporting.listKpiRows('day', 'all', { from: `${m2}-05`, to: `${m2}-05` }, { limit: 1 })).items[0];
    expect(day?.kpis.churnRate.value).toBeNull();
  });
});
