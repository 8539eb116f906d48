import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { quantileSorted } from 'simple-statistics';
import { createDocumentClient } from '../../shared/adapters/dynamo-client';
import { routedTimes, type RoutedTimes } from './routed-times';

export interface LatencySummary {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface PipelineFigures {
  mode: 'burst';
  messages: number;
  sessions: number;
  concurrency: number;
  ingestSeconds: number;
  pipelineSeconds: number;
  messagesPerSecond: number;
  /** routedAt − receivedAt per message (stored timestamps, both taken in the stack). */
  latencyMs: LatencySummary;
  httpErrors: number;
  /** Epoch ms of the first message received and the last one routed (the run's span). */
  firstReceivedAt: number;
  lastRoutedAt: number;
}

/** Quantiles of a sample (simple-statistics' quantileSorted), rounded to the millisecond. */
export function summarize(values: readonly number[]): LatencySummary {
  if (values.length === 0) return { p50: NaN, p95: NaN, p99: NaN, max: NaN };
  const sorted = [...values].sort((a, b) => a - b);
  const q = (p: number) => Math.round(quantileSorted(sorted, p));
  return { p50: q(0.5), p95: q(0.95), p99: q(0.99), max: Math.round(sorted.at(-1)!) };
}

export const TEXTS = [
  'Hi, my order has not arrived yet, can you check?',
  'I was charged twice for the same order. Please refund me ASAP!',
  'Thanks, the replacement works perfectly.',
  'How do I change the delivery address of my parcel?',
  'This is the third time I write. Nobody answers. I want to cancel my account immediately!!',
];

/** Messages per visitor session: one opens a ticket, four append to it. */
export const PER_SESSION = 5;

export const newSessionId = () => `bench_${randomUUID().replaceAll('-', '')}`;

/** Posts the `i`-th chat message of a session; the message id, or undefined on an HTTP error. */
export async function postChat(apiUrl: string, sessionId: string, i: number): Promise<string | undefined> {
  try {
    const res = await fetch(`${apiUrl}/v1/channels/chat/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sessionId, clientMessageId: `m${i}`, text: TEXTS[i % TEXTS.length] }),
    });
    const body = (await res.json()) as { messageId?: string };
    return res.status === 202 && body.messageId ? body.messageId : undefined;
  } catch {
    return undefined;
  }
}

/** Runs `fn` over `items` with at most `concurrency` in flight. */
export async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/** Polls until no message is pending (stored, not routed), or throws after `timeoutMs`. */
export async function waitUntilRouted(probe: RoutedTimes, ids: readonly string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pending = await probe.unroutedCount(ids);
    if (pending === 0) return;
    if (Date.now() > deadline) throw new Error(`${pending} messages still pending after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Latencies (routedAt − receivedAt) of these messages, and the first receivedAt and last routedAt. */
export async function routedLatencies(probe: RoutedTimes, ids: readonly string[]): Promise<{ byId: Map<string, number>; first: number; last: number }> {
  const times = await probe.read(ids);
  const byId = new Map<string, number>();
  let first = Infinity;
  let last = 0;
  for (const id of ids) {
    const t = times.get(id);
    if (!t || t.routedAt === undefined) throw new Error(`message ${id} is not routed`);
    byId.set(id, t.routedAt - t.receivedAt);
    first = Math.min(first, t.receivedAt);
    last = Math.max(last, t.routedAt);
  }
  return { byId, first, last };
}

/**
 * Burst mode (closed loop): N chat messages over HTTP (five per session: one new ticket,
 * four appends), `concurrency` sessions at a time, then waits until all are routed.
 */
export async function runPipeline(opts: {
  apiUrl: string;
  env: Record<string, string>;
  messages: number;
  concurrency: number;
  timeoutMs: number;
}): Promise<PipelineFigures> {
  const sessions = Array.from({ length: Math.ceil(opts.messages / PER_SESSION) }, newSessionId);
  // Messages of one session go in order (as a visitor types); sessions run concurrently.
  let sent = 0;
  let httpErrors = 0;
  const ids: string[] = [];
  const started = Date.now();
  await pool(sessions, opts.concurrency, async (sessionId) => {
    for (let i = 0; i < PER_SESSION && sent < opts.messages; i++, sent++) {
      const id = await postChat(opts.apiUrl, sessionId, i);
      if (id) ids.push(id);
      else httpErrors++;
    }
  });
  const ingestSeconds = (Date.now() - started) / 1000;

  const probe = routedTimes(opts.env);
  try {
    await waitUntilRouted(probe, ids, opts.timeoutMs);
    const { byId, first, last } = await routedLatencies(probe, ids);
    const pipelineSeconds = (last - first) / 1000;
    return {
      mode: 'burst',
      messages: ids.length,
      sessions: sessions.length,
      concurrency: opts.concurrency,
      ingestSeconds,
      pipelineSeconds,
      messagesPerSecond: ids.length / pipelineSeconds,
      latencyMs: summarize([...byId.values()]),
      httpErrors,
      firstReceivedAt: first,
      lastRoutedAt: last,
    };
  } finally {
    probe.close();
  }
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
