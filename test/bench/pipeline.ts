import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../shared/adapters/dynamo-client';

export interface PipelineFigures {
  messages: number;
  sessions: number;
  concurrency: number;
  ingestSeconds: number;
  pipelineSeconds: number;
  messagesPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  httpErrors: number;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

const TEXTS = [
  'Hi, my order has not arrived yet, can you check?',
  'I was charged twice for the same order. Please refund me ASAP!',
  'Thanks, the replacement works perfectly.',
  'How do I change the delivery address of my parcel?',
  'This is the third time I write. Nobody answers. I want to cancel my account immediately!!',
];

/** Runs `fn` over `items` with at most `concurrency` in flight. */
export async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/** N chat messages over HTTP (five per session: one new ticket, four appends), then waits until all are routed. */
export async function runPipeline(opts: {
  apiUrl: string;
  env: Record<string, string>;
  messages: number;
  concurrency: number;
  timeoutMs: number;
}): Promise<PipelineFigures> {
  const perSession = 5;
  const sessions = Array.from({ length: Math.ceil(opts.messages / perSession) }, () => `bench_${randomUUID().replaceAll('-', '')}`);
  // Messages of one session go in order (as a visitor types); sessions run concurrently.
  let sent = 0;
  let httpErrors = 0;
  const ids: string[] = [];
  const started = Date.now();
  await pool(sessions, opts.concurrency, async (sessionId) => {
    for (let i = 0; i < perSession && sent < opts.messages; i++, sent++) {
      const res = await fetch(`${opts.apiUrl}/v1/channels/chat/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sessionId, clientMessageId: `m${i}`, text: TEXTS[i % TEXTS.length] }),
      });
      const body = (await res.json()) as { messageId?: string };
      if (res.status !== 202 || !body.messageId) httpErrors++;
      else ids.push(body.messageId);
    }
  });
  const ingestSeconds = (Date.now() - started) / 1000;

  const doc = createDocumentClient(new DynamoDBClient({ endpoint: opts.env.AWS_ENDPOINT_URL_DYNAMODB, region: opts.env.AWS_REGION }));
  const table = opts.env.CRM_TABLE!;
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const pending = await doc.send(
      new QueryCommand({ TableName: table, IndexName: 'gsi3', KeyConditionExpression: 'gsi3pk = :p', ExpressionAttributeValues: { ':p': 'PENDING' }, Select: 'COUNT' }),
    );
    if ((pending.Count ?? 0) === 0) break;
    if (Date.now() > deadline) throw new Error(`${pending.Count} messages still pending after ${opts.timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }

  const latencies: number[] = [];
  let first = Infinity;
  let last = 0;
  for (let i = 0; i < ids.length; i += 100) {
    const out = await doc.send(
      new BatchGetCommand({
        RequestItems: { [table]: { Keys: ids.slice(i, i + 100).map((id) => ({ pk: `MSG#${id}`, sk: 'MSG' })), ProjectionExpression: 'receivedAt, routedAt' } },
      }),
    );
    for (const item of out.Responses?.[table] ?? []) {
      const received = Date.parse(String(item.receivedAt));
      const routed = Date.parse(String(item.routedAt));
      if (Number.isNaN(routed)) throw new Error('a message is not routed');
      latencies.push(routed - received);
      first = Math.min(first, received);
      last = Math.max(last, routed);
    }
  }
  latencies.sort((a, b) => a - b);
  const pipelineSeconds = (last - first) / 1000;
  return {
    messages: ids.length,
    sessions: sessions.length,
    concurrency: opts.concurrency,
    ingestSeconds,
    pipelineSeconds,
    messagesPerSecond: ids.length / pipelineSeconds,
    latencyMs: { p50: quantile(latencies, 0.5), p95: quantile(latencies, 0.95), p99: quantile(latencies, 0.99), max: latencies.at(-1) ?? NaN },
    httpErrors,
  };
}

/** The storage ceiling: raw PutItem of message-sized items at the same concurrency. */
export async function rawPutCeiling(opts: { env: Record<string, string>; puts: number; concurrency: number }): Promise<number> {
  const doc = createDocumentClient(new DynamoDBClient({ endpoint: opts.env.AWS_ENDPOINT_URL_DYNAMODB, region: opts.env.AWS_REGION }));
  const text = TEXTS.join(' ').slice(0, 400);
  const items = Array.from({ length: opts.puts }, (_, i) => i);
  const started = Date.now();
  await pool(items, opts.concurrency, async (i) => {
    await doc.send(new PutCommand({ TableName: opts.env.CRM_TABLE!, Item: { pk: `BENCH#${randomUUID()}`, sk: 'RAW', n: i, text } }));
  });
  return opts.puts / ((Date.now() - started) / 1000);
}
