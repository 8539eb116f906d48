import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureTable } from '../../infra/local/resources';
import { startStreamPoller, type StreamBatchTiming, type StreamPoller, type StreamPollerOptions } from '../../infra/local/stream-poller';
import { functions, tables, type StreamTrigger } from '../../infra/topology';
import { inboundMessageOfImage } from '../../shared/adapters/crm-stream';
import { DynamoMessageStore } from '../../shared/adapters/dynamo-message-store';
import { eventually } from '../fixtures/eventually';
import { inboundMessage } from '../fixtures/inbound-message';
import { localDocumentClient } from './local-clients';

const trigger = functions.classify.trigger as StreamTrigger;
let streams: DynamoDBStreamsClient;
let store: DynamoMessageStore;
let streamArn: string;
const pollers: StreamPoller[] = [];

beforeAll(async () => {
  const env = inject('localEnv');
  const common = { endpoint: env.AWS_ENDPOINT_URL_DYNAMODB, region: env.AWS_REGION, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } };
  const dynamo = new DynamoDBClient(common);
  // A crm table of this file's own (with the topology's stream): other files' writes stay out of it.
  const table = `crm-stream-${randomUUID().slice(0, 8)}`;
  streamArn = (await ensureTable(dynamo, table, tables.crm))!;
  dynamo.destroy();
  streams = new DynamoDBStreamsClient(common);
  store = new DynamoMessageStore({ tableName: table, client: localDocumentClient(env) });
});

afterAll(async () => {
  await Promise.all(pollers.splice(0).map((p) => p.stop()));
  streams?.destroy();
});

/** classify's trigger as the runtime wires it, reading from now on. */
async function poll(invoke: StreamPollerOptions['invoke'], extra: Partial<StreamPollerOptions> = {}) {
  const p = await startStreamPoller({
    client: streams,
    streamArn,
    batchSize: trigger.batchSize,
    maxBatchingWindowSeconds: trigger.maxBatchingWindowSeconds,
    retryAttempts: trigger.retryAttempts,
    filter: trigger.filter,
    retryBaseMs: 10,
    invoke,
    log: () => {},
    logError: () => {},
    ...extra,
  });
  pollers.push(p);
  return p;
}

const stop = async (p: StreamPoller) => {
  pollers.splice(pollers.indexOf(p), 1);
  await p.stop();
};

const message = (text = 'my order has not arrived') => inboundMessage({ thread: `session_${randomUUID().replaceAll('-', '').slice(0, 16)}`, text, at: new Date().toISOString() });
const idOf = (r: DynamoDBRecord) => inboundMessageOfImage(r.dynamodb!.NewImage!) as { messageId: string };
const until = <T>(probe: () => Promise<T | undefined>, what: string) => eventually(probe, 10_000, what);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('stream poller (like the Lambda DynamoDB event source mapping) on DynamoDB Local', () => {
  it('hands an inbound message stored by intake to the function at once, in the shape Lambda does', async () => {
    const events: DynamoDBStreamEvent[] = [];
    const timings: StreamBatchTiming[] = [];
    const p = await poll(async (e) => void events.push(e), { onBatch: (t) => timings.push(t) });
    const m = message();
    const stored = Date.now();
    await store.putInboundMessage(m);
    const record = await until(async () => events.flatMap((e) => e.Records).find((r) => idOf(r).messageId === m.messageId), 'the INSERT record');
    // The bar is 500 ms from POST to ticket; this hop must stay a small part of it.
    expect(Date.now() - stored).toBeLessThan(500);
    expect(record).toMatchObject({
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      eventSourceARN: streamArn,
      dynamodb: { Keys: { pk: { S: `MSG#${m.messageId}` }, sk: { S: 'MSG' } }, StreamViewType: 'NEW_IMAGE', NewImage: { direction: { S: 'inbound' }, status: { S: 'received' } } },
    });
    expect(typeof record.eventID).toBe('string');
    expect(record.dynamodb!.SequenceNumber).toMatch(/^\d+$/);
    expect(record.dynamodb!.SizeBytes).toBeGreaterThan(0);
    expect(typeof record.dynamodb!.ApproximateCreationDateTime).toBe('number');
    // The adapter reads back exactly what intake took.
    expect(inboundMessageOfImage(record.dynamodb!.NewImage!)).toEqual(m);
    expect(timings[0]).toMatchObject({ streamArn, records: 1, failed: 0, attempt: 0 });
    await stop(p);
  });

  it('passes what still needs routing (intake, a sweep, a client retry, routing taking it back) and nothing else', async () => {
    const seen: DynamoDBRecord[] = [];
    const p = await poll(async (e) => void seen.push(...e.Records));
    const [a, b, c] = [message('a'), message('b'), message('c')];
    for (const m of [a, b, c]) await store.putInboundMessage(m);
    const routedAt = new Date().toISOString();
    const routed = { channel: a.channel, threadKey: a.threadKey, receivedAt: a.receivedAt, ticketId: 't-a', customerId: 'c-a', routedAt, counts: { events: [] } as never };
    const classification = { language: { code: 'en', confidence: 1 }, sentiment: { score: 0, comparative: 0, label: 'neutral' as const }, urgency: { score: 0, reasons: [] } };
    expect(await store.markRouted({ ...routed, messageId: a.messageId, classification, priority: { score: 10, reasons: [] } })).toBe(true);
    await store.putReply({ messageId: `${a.messageId}-r`, channel: a.channel, threadKey: a.threadKey, from: 'switchboard', text: 'on it', sentAt: routedAt, inReplyTo: a.messageId }, { ticketId: 't-a', customerId: 'c-a', routedAt });
    await store.updateRoutingCounts(a.messageId, { events: [] } as never);
    await store.markStuck(b.messageId);
    await store.markSwept(b.messageId); // written (b is still received), but stuck: filtered out
    await store.markSwept(c.messageId);
    await store.touchPendingMessage(c.messageId, new Date().toISOString());
    await store.touchPendingMessage(a.messageId, new Date().toISOString()); // routed: no write
    await store.unroute(a.messageId, 't-a');
    const want = [
      ['INSERT', a.messageId],
      ['INSERT', b.messageId],
      ['INSERT', c.messageId],
      ['MODIFY', c.messageId],
      ['MODIFY', c.messageId],
      ['MODIFY', a.messageId],
    ];
    const got = () => seen.map((r) => [r.eventName, idOf(r).messageId]);
    await until(async () => (got().length >= want.length ? true : undefined), 'six records');
    await sleep(300); // nothing more comes
    expect(got()).toEqual(want);
    await stop(p);
  });

  it('retries a failed batch from its lowest failed record, then gives up after the retries and goes on', async () => {
    const calls: string[][] = [];
    const ms = [message('1'), message('2'), message('3')];
    const poison = ms[1]!.messageId;
    const p = await poll(async (e) => {
      calls.push(e.Records.map((r) => idOf(r).messageId));
      const bad = e.Records.filter((r) => idOf(r).messageId === poison);
      return { batchItemFailures: bad.map((r) => ({ itemIdentifier: r.dynamodb!.SequenceNumber! })) };
    }, { retryAttempts: 2, batchSize: 3, maxBatchingWindowSeconds: 1 });
    // One batch: the window gathers all three.
    for (const m of ms) await store.putInboundMessage(m);
    await until(async () => (calls.length >= 3 ? true : undefined), 'three invocations');
    const ids = ms.map((m) => m.messageId);
    expect(calls.slice(0, 3)).toEqual([ids, ids.slice(1), ids.slice(1)]);
    // Given up on: the next message is handed on as usual.
    const next = message('4');
    await store.putInboundMessage(next);
    await until(async () => (calls.some((c) => c.includes(next.messageId)) ? true : undefined), 'the next message');
    expect(calls).toHaveLength(4);
    await stop(p);
  });

  it('retries the whole batch when the function throws, and stop() waits for the batch in flight', async () => {
    let attempts = 0;
    let finished = false;
    const m = message();
    const p = await poll(async () => {
      attempts++;
      if (attempts === 1) throw new Error('cold start failed');
      await sleep(300);
      finished = true;
    });
    await store.putInboundMessage(m);
    await until(async () => (attempts >= 2 ? true : undefined), 'the retry');
    await stop(p);
    expect(finished).toBe(true);
    expect(attempts).toBe(2);
  });
});
