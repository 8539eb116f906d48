import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDocumentClient } from '../../shared/adapters/dynamo-client';
import { crmStores, type CrmStores } from '../../shared/adapters/crm-stores';
import { modelKeys, S3ModelStore } from '../../shared/adapters/s3-model-store';
import { decodeIntent, shippedModels } from '../../shared/classify/intent';
import trainingJson from '../../shared/classify/models/support-training.json';
import { readPromotedModels } from '../../shared/classify/promoted-models';
import { allCorrections, isHeldOut, runRetrain } from '../../shared/classify/retrain';
import { decodeTrainingData } from '../../shared/classify/training-data';
import { messageIdFor } from '../../shared/domain/ids';
import type { Classification, InboundMessage } from '../../shared/domain/message';
import { routeMessage } from '../../shared/routing/route-message';
import { planTicketUpdate } from '../../shared/tickets/update-ticket';

let crm: CrmStores;
let s3: S3Client;
let models: S3ModelStore;
let bucket: string;

beforeAll(() => {
  const env = inject('localEnv');
  const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };
  const doc = createDocumentClient(new DynamoDBClient({ endpoint: env.AWS_ENDPOINT_URL_DYNAMODB, region: env.AWS_REGION, credentials }));
  crm = crmStores({ tableName: env.CRM_TABLE!, reportingTableName: env.REPORTING_TABLE!, client: doc });
  bucket = env.MODELS_BUCKET!;
  s3 = new S3Client({ endpoint: env.AWS_ENDPOINT_URL_S3, region: env.AWS_REGION, credentials, forcePathStyle: true });
  models = new S3ModelStore({ bucket, client: s3 });
});
afterAll(() => s3?.destroy());

const classification: Classification = {
  language: { code: 'en', confidence: 0.9 },
  sentiment: { score: 0, comparative: 0, label: 'neutral' },
  urgency: { score: 10, reasons: [] },
};

/** A chat message routed into a new ticket, then an agent's intent correction of it. */
async function correct(text: string, intent: string, at: Date): Promise<string> {
  const thread = `rt_${randomUUID().replaceAll('-', '')}`;
  const providerMessageId = `${thread}:1`;
  const message: InboundMessage = {
    messageId: messageIdFor('chat', providerMessageId), channel: 'chat', providerMessageId, from: thread,
    alsoKnownAs: [], text, attachments: [], threadKey: thread, receivedAt: at.toISOString(),
  };
  await crm.putInboundMessage(message);
  const routed = await routeMessage(crm, { message, classification }, at);
  if (routed.outcome === 'already-routed') throw new Error('unexpected redelivery');
  const ticket = (await crm.getTicket(routed.ticketId))!;
  const plan = planTicketUpdate(ticket, { intent }, { now: new Date(at.getTime() + 60_000), actor: 'key_agent', firstMessageText: text });
  await crm.applyTicketUpdate(ticket, plan);
  return routed.ticketId;
}

// The shipped models put each of these anywhere but PAYMENT (ACCOUNT, CANCELLATION_FEE, REFUND).
const VOUCHER = ['my voucher code was rejected at checkout', 'the voucher does not work', 'I got a voucher but it fails', 'voucher problem again', 'my gift voucher is refused'];

describe('retrain on the local emulators', () => {
  it('learns agents\' corrections, promotes to the models bucket and reads the promoted pair back', async () => {
    const shipped = { ...decodeTrainingData(trainingJson), models: shippedModels() };
    expect(await readPromotedModels(models)).toBeUndefined();
    const tickets = new Map<string, string>();
    for (const [i, text] of VOUCHER.entries()) tickets.set(await correct(text, 'payment_issue', new Date(Date.UTC(2026, 10, 20, 9, i))), text);

    const corrections = await allCorrections(crm);
    const ours = corrections.filter((c) => tickets.has(c.ticketId));
    expect(ours).toHaveLength(VOUCHER.length);
    expect(ours[0]).toMatchObject({ category: 'PAYMENT', intent: 'payment_issue', correctedBy: 'key_agent' });

    const now = new Date('2026-11-21T03:00:00.000Z');
    const decision = await runRetrain(models, { shipped, corrections }, { now });
    expect(decision).toMatchObject({ outcome: 'promoted', currentSource: 'shipped' });

    // The pointers, the version objects and the decision are in the bucket.
    const pointer = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: modelKeys.current('support-category') }))).Body!.transformToString());
    expect(pointer).toMatchObject({ version: decision.version, key: modelKeys.version('support-category', decision.version!) });
    expect(await models.lastDecision()).toEqual(decision);

    const promoted = (await readPromotedModels(models))!;
    expect(promoted.record.version).toBe(decision.version);
    // A taught correction (not held out for validation) now gets the agents' label.
    const taught = [...tickets].filter(([id]) => !isHeldOut(id, 0.25, 7)).map(([, text]) => text);
    expect(taught.length).toBeGreaterThan(0);
    for (const text of taught) {
      expect(decodeIntent(shipped.models, text).category).not.toBe('PAYMENT');
      expect(decodeIntent(promoted.models, text)).toMatchObject({ category: 'PAYMENT', intent: 'payment_issue' });
    }

    // Nothing new since: the next run skips and keeps the pointer where it is.
    const again = await runRetrain(models, { shipped, corrections: await allCorrections(crm) }, { now: new Date('2026-11-22T03:00:00.000Z') });
    expect(again).toMatchObject({ outcome: 'skipped', reason: `no corrections since the last promotion (${decision.version})` });
    expect((await models.getRecord('support-category'))!.version).toBe(decision.version);
  });
});
