import { randomUUID } from 'node:crypto';
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSesEmulator, type SesEmulator } from '../../infra/local/ses-emulator';
import { startSmsEmulator, type SmsEmulator } from '../../infra/local/sms-emulator';
import { crmStores, type CrmStores } from '../../shared/adapters/crm-stores';
import { DynamoKnowledgeStore } from '../../shared/adapters/dynamo-knowledge-store';
import { DynamoOutboxStore } from '../../shared/adapters/dynamo-outbox-store';
import { SesEmailSender } from '../../shared/adapters/ses-email-sender';
import { EndUserMessagingSmsSender } from '../../shared/adapters/sms-sender';
import type { Classification } from '../../shared/domain/message';
import { buildArticle, createArticleInput } from '../../shared/knowledge/article';
import type { SuggestFn } from '../../shared/knowledge/answer-plan';
import { knowledgeIndexCache, suggestWithBodies } from '../../shared/knowledge/index-cache';
import { deliverReply, sweepOutbox, OUTBOX_GRACE_MS } from '../../shared/outbound/deliver';
import { routeMessage } from '../../shared/routing/route-message';
import { planAgentReply } from '../../shared/tickets/reply-ticket';
import { inboundMessage } from '../fixtures/inbound-message';
import { localDocumentClient } from './local-clients';

let doc: DynamoDBDocumentClient;
let crm: CrmStores;
let outbox: DynamoOutboxStore;
let knowledge: DynamoKnowledgeStore;
let ses: SesEmulator;
let sms: SmsEmulator;
let deps: Parameters<typeof deliverReply>[0];

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

beforeAll(async () => {
  const env = inject('localEnv');
  doc = localDocumentClient(env);
  crm = crmStores({ tableName: env.CRM_TABLE!, reportingTableName: env.REPORTING_TABLE!, client: doc });
  outbox = new DynamoOutboxStore({ tableName: env.CRM_TABLE!, client: doc });
  knowledge = new DynamoKnowledgeStore({ tableName: env.CRM_TABLE!, client: doc });
  ses = await startSesEmulator({ host: '127.0.0.1' });
  sms = await startSmsEmulator({ host: '127.0.0.1', topicArn: 'arn:aws:sns:us-east-1:000000000000:sms', onInbound: async () => undefined, logError: () => undefined });
  deps = {
    store: outbox,
    email: new SesEmailSender({ client: new SESv2Client({ endpoint: ses.url, region: 'us-east-1', credentials }) }),
    sms: new EndUserMessagingSmsSender({ client: new PinpointSMSVoiceV2Client({ endpoint: sms.url, region: 'us-east-1', credentials }) }),
  };
});
afterAll(async () => {
  await ses?.stop();
  await sms?.stop();
});

const classification: Classification = {
  language: { code: 'en', confidence: 1 },
  sentiment: { score: 0, comparative: 0, label: 'neutral' },
  topic: { category: 'DELIVERY', intent: 'delivery_period', confidence: 0.9, outOfScope: false },
  urgency: { score: 10, reasons: [] },
};

interface StoredMail {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string };
  headers: Array<{ name: string; value: string }>;
}
const sentMail = async (): Promise<StoredMail[]> => ((await (await fetch(`${ses.url}/store`)).json()) as { emails: StoredMail[] }).emails;

describe('outbound delivery on DynamoDB Local, the SES v2 emulator and the SMS emulator', () => {
  it('delivers an email auto-reply once, threaded and marked auto-replied, and takes it off the outbox', async () => {
    // Made-up words, so no other test's articles compete.
    const body = 'Flurbex parcels travel by blimp and reach you within three days.';
    await knowledge.create(buildArticle(createArticleInput.parse({ title: 'Flurbex delivery time', body, category: 'DELIVERY', tags: ['flurbex', 'blimp', 'parcel'], autoReply: true }), new Date()));
    const index = knowledgeIndexCache(() => knowledge.listAll());
    const suggest: SuggestFn = async (text, category) => suggestWithBodies(await index.current(), text, { limit: 3, ...(category ? { category } : {}) });

    const root = `<${randomUUID()}@example.com>`;
    const m = inboundMessage(
      { channel: 'email', thread: root, text: 'Flurbex parcels by blimp: delivery time?', at: '2031-05-06T08:00:00.000Z' },
      { providerMessageId: root, from: 'ana@example.com', to: 'support@acme.test', subject: 'Flurbex delivery time' },
    );
    await crm.putInboundMessage(m);
    const routed = await routeMessage(crm, { message: m, classification }, new Date('2031-05-06T08:00:20.000Z'), { suggest });
    expect(routed).toMatchObject({ outcome: 'opened', deliver: expect.stringMatching(/^msg_/) });
    if (routed.outcome === 'already-routed' || !routed.deliver) return;

    // Queued and on the outbox list until delivered.
    expect((await outbox.listQueuedDeliveries(new Date('2031-05-06T09:00:00.000Z'), 100)).map((q) => q.messageId)).toContain(routed.deliver);
    expect(await deliverReply(deps, { messageId: routed.deliver }, new Date('2031-05-06T08:00:21.000Z'))).toMatchObject({ outcome: 'sent' });
    expect(await deliverReply(deps, { messageId: routed.deliver }, new Date())).toEqual({ outcome: 'done-before' });

    const mails = (await sentMail()).filter((x) => x.headers.some((h) => h.value === root));
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ from: 'support@acme.test', destination: { to: ['ana@example.com'] }, subject: 'Re: Flurbex delivery time', body: { text: body } });
    expect(mails[0]!.headers).toEqual(
      expect.arrayContaining([
        { name: 'In-Reply-To', value: root },
        { name: 'References', value: root },
        { name: 'Auto-Submitted', value: 'auto-replied' },
      ]),
    );
    const shown = (await crm.listTicketMessages(routed.ticketId, { limit: 10 })).items.find((x) => x.messageId === routed.deliver);
    expect(shown?.delivery).toMatchObject({ status: 'sent', providerMessageId: mails[0]!.messageId, deliveredAt: '2031-05-06T08:00:21.000Z' });
    expect((await outbox.listQueuedDeliveries(new Date('2031-05-06T09:00:00.000Z'), 100)).map((q) => q.messageId)).not.toContain(routed.deliver);
  });

  it('sends an agent’s SMS reply to the customer’s number from ours; a refused one fails, reopens the ticket and says why', async () => {
    const customer = `+1415${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    const m = inboundMessage({ channel: 'sms', thread: customer, text: 'Where is my parcel?', at: '2031-05-07T09:00:00.000Z' }, { to: '+14155550199' });
    await crm.putInboundMessage(m);
    const routed = await routeMessage(crm, { message: m, classification }, new Date('2031-05-07T09:00:05.000Z'));
    if (routed.outcome === 'already-routed') throw new Error('not routed');
    const ticket = (await crm.getTicket(routed.ticketId))!;
    const answering = await outbox.replyContext(ticket.ticketId);
    expect(answering).toMatchObject({ channel: 'sms', from: customer, to: '+14155550199' });
    const plan = planAgentReply(ticket, { text: 'It left our depot today.', requestId: 'r1', answering }, { now: new Date('2031-05-07T09:10:00.000Z'), actor: 'key_agent' });
    await crm.replyToTicket(ticket, plan);
    expect(await deliverReply(deps, { messageId: plan.reply.messageId }, new Date('2031-05-07T09:10:01.000Z'))).toMatchObject({ outcome: 'sent' });
    expect(sms.sent().filter((x) => x.destinationPhoneNumber === customer)).toEqual([
      expect.objectContaining({ originationIdentity: '+14155550199', messageBody: 'It left our depot today.', messageType: 'TRANSACTIONAL' }),
    ]);

    // The next reply goes to a number the provider refuses.
    const waiting = (await crm.getTicket(ticket.ticketId))!;
    expect(waiting.status).toBe('pending');
    const bad = planAgentReply(waiting, { text: 'Tracking: 123', requestId: 'r2', answering: { ...answering!, from: '+1555' } }, { now: new Date('2031-05-07T09:20:00.000Z'), actor: 'key_agent' });
    await crm.replyToTicket(waiting, bad);
    expect(await deliverReply(deps, { messageId: bad.reply.messageId }, new Date('2031-05-07T09:20:01.000Z'))).toMatchObject({ outcome: 'failed', error: expect.stringMatching(/not an E.164 number/) });
    const flagged = (await crm.getTicket(ticket.ticketId))!;
    expect(flagged).toMatchObject({ status: 'open', deliveryFailure: { messageId: bad.reply.messageId, error: expect.stringMatching(/refused/) } });
    expect((await crm.listTickets('open', { limit: 100 })).items.map((t) => t.ticketId)).toContain(ticket.ticketId);
    expect((await crm.listTickets('pending', { limit: 100 })).items.map((t) => t.ticketId)).not.toContain(ticket.ticketId);
    // Agents see the outcome, not the claim bookkeeping.
    const shown = (await crm.listTicketMessages(ticket.ticketId, { limit: 10 })).items.find((x) => x.messageId === bad.reply.messageId)!;
    expect(shown.delivery).toMatchObject({ status: 'failed', to: '+1555' });
    expect(Object.keys(shown.delivery!)).not.toEqual(expect.arrayContaining(['claimId']));
    expect(shown.delivery).not.toHaveProperty('flaggedAt');

    // The next reply clears the flag; flagging the old failure again (a retry after a lost record) changes nothing.
    const open = (await crm.getTicket(ticket.ticketId))!;
    const next = planAgentReply(open, { text: 'Sent to your other number.', requestId: 'r3', answering }, { now: new Date('2031-05-07T09:30:00.000Z'), actor: 'key_agent' });
    await crm.replyToTicket(open, next);
    await outbox.flagFailedDelivery(ticket.ticketId, { messageId: bad.reply.messageId, error: 'again', at: '2031-05-07T09:31:00.000Z' });
    expect((await crm.getTicket(ticket.ticketId))!).toMatchObject({ status: 'pending' });
    expect((await crm.getTicket(ticket.ticketId))!.deliveryFailure).toBeUndefined();
  });

  it('lets the sweeper re-send a reply whose queue message was lost', async () => {
    const customer = `+1416${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    const m = inboundMessage({ channel: 'sms', thread: customer, text: 'Hello?', at: '2031-05-08T09:00:00.000Z' });
    await crm.putInboundMessage(m);
    const routed = await routeMessage(crm, { message: m, classification }, new Date('2031-05-08T09:00:05.000Z'));
    if (routed.outcome === 'already-routed') throw new Error('not routed');
    const ticket = (await crm.getTicket(routed.ticketId))!;
    const plan = planAgentReply(ticket, { text: 'Hi!', requestId: 'r1', answering: await outbox.replyContext(ticket.ticketId) }, { now: new Date('2031-05-08T09:01:00.000Z'), actor: 'key_agent' });
    await crm.replyToTicket(ticket, plan);
    const sent: unknown[] = [];
    const queue = { send: async () => undefined, sendBatch: async (bodies: unknown[]) => (sent.push(...bodies), []) };
    await sweepOutbox({ store: outbox, outbound: queue }, new Date(Date.parse('2031-05-08T09:01:00.000Z') + OUTBOX_GRACE_MS + 1000));
    expect(sent).toContainEqual({ messageId: plan.reply.messageId });
  });
});
