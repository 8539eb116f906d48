/**
 * Idle latency of the pipeline bench: on the idle local stack, one chat message at a
 * time (a fresh session each), timed from the POST until `GET /v1/tickets?status=open`
 * (with the admin key) lists its ticket. The first message of a fresh stack is timed too
 * but reported apart (it pays the handlers' cold import); the trials run on the warmed stack.
 *
 * Where the time goes comes from the pollers' batch timings (`onBatch` of the local
 * runtime): queue wait (SentTimestamp, or the stream record's creation time, → first receive),
 * batching window (first receive → invoke), the function itself, and the delete (none for the stream).
 */
import type { BatchTiming } from '../../infra/local/queue-poller';
import type { StreamBatchTiming } from '../../infra/local/stream-poller';
import { median } from 'simple-statistics';
import { othersCpu } from './machine-load';
import { newSessionId, postChat } from './pipeline';
import { routedTimes } from './routed-times';

export type StackBatch = (BatchTiming | StreamBatchTiming) & { functionName: string };

/** Collects the stack's batch timings while `recording`. */
export class BatchLog {
  recording = false;
  readonly batches: StackBatch[] = [];
  readonly onBatch = (b: StackBatch) => {
    if (this.recording) this.batches.push(b);
  };
}

export interface IdleTrial {
  /** POST sent → ticket listed by GET /v1/tickets. */
  visibleMs: number;
  /** POST round trip (chat handler: store the message; the crm stream takes it on). */
  postMs: number;
  /** routedAt − receivedAt, from the stored timestamps. */
  ingestToRoutedMs: number;
  /** Per queue-triggered function: queue wait, batching window, invocation, delete (ms). */
  stages: Record<string, { queueWaitMs: number; windowMs: number; invokeMs: number; deleteMs: number }>;
  /** Last function's delete answered → the ticket seen (the polling GETs' lag). */
  seenAfterMs: number;
  gets: number;
}

export interface IdleFigures {
  trials: number;
  /** The first message on the fresh stack (handlers imported on first invocation). */
  cold: IdleTrial;
  visibleMs: { median: number; max: number };
  ingestToRoutedMs: { median: number; max: number };
  postMs: { median: number; max: number };
  /** Medians over the trials, per stage. */
  breakdownMs: Record<string, number>;
  pollIntervalMs: number;
  /** Cores other processes used on average during the trials (above about 0.3: disturbed). */
  othersCores: number;
  all: IdleTrial[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function trial(opts: { apiUrl: string; adminKey: string; env: Record<string, string>; log: BatchLog; pollIntervalMs: number; timeoutMs: number }): Promise<IdleTrial> {
  const session = newSessionId();
  opts.log.batches.length = 0;
  opts.log.recording = true;
  const t0 = Date.now();
  const id = await postChat(opts.apiUrl, session, 0);
  const posted = Date.now();
  if (!id) throw new Error('idle trial: the chat POST failed');
  let gets = 0;
  let seen: number | undefined;
  while (seen === undefined) {
    if (Date.now() - t0 > opts.timeoutMs) throw new Error(`idle trial: no ticket for ${session} after ${opts.timeoutMs} ms`);
    const res = await fetch(`${opts.apiUrl}/v1/tickets?status=open&limit=25`, { headers: { authorization: `Bearer ${opts.adminKey}` } });
    gets++;
    const body = (await res.json()) as { tickets?: Array<{ threadKey?: string }> };
    if (res.status !== 200) throw new Error(`idle trial: GET /v1/tickets answered ${res.status}`);
    if (body.tickets?.some((t) => t.threadKey === session)) seen = Date.now();
    else await sleep(opts.pollIntervalMs);
  }
  // Let the last delete land before reading the timings.
  await sleep(100);
  opts.log.recording = false;
  const probe = routedTimes(opts.env);
  const times = await probe.read([id]).finally(() => probe.close());
  const t = times.get(id);
  if (t?.routedAt === undefined) throw new Error('idle trial: the ticket is listed but the message is not routed');
  const stages: IdleTrial['stages'] = {};
  let lastDeleted = posted;
  for (const b of opts.log.batches) {
    // A stream record's creation time is rounded (to the minute on DynamoDB Local): its wait counts from the POST's answer (the item stored).
    const sent = 'streamArn' in b ? posted : Math.min(...b.sentAt);
    stages[b.functionName] = {
      queueWaitMs: b.firstReceivedAt - sent,
      windowMs: b.invokedAt - b.firstReceivedAt,
      invokeMs: b.returnedAt - b.invokedAt,
      deleteMs: b.deletedAt - b.returnedAt,
    };
    if (b.functionName === 'route') lastDeleted = b.deletedAt;
  }
  return { visibleMs: seen - t0, postMs: posted - t0, ingestToRoutedMs: t.routedAt - t.receivedAt, stages, seenAfterMs: seen - lastDeleted, gets };
}

export async function measureIdle(opts: {
  apiUrl: string;
  adminKey: string;
  env: Record<string, string>;
  log: BatchLog;
  trials: number;
  /** Quiet time before each trial, so the pollers sit in their long polls (default 2 s). */
  pauseMs?: number;
  pollIntervalMs?: number;
}): Promise<IdleFigures> {
  const pollIntervalMs = opts.pollIntervalMs ?? 10;
  const run = () => trial({ ...opts, pollIntervalMs, timeoutMs: 60_000 });
  const cold = await run();
  const others = othersCpu();
  const all: IdleTrial[] = [];
  for (let i = 0; i < opts.trials; i++) {
    await sleep(opts.pauseMs ?? 2000);
    all.push(await run());
  }
  const stat = (xs: number[]) => (xs.length ? { median: Math.round(median(xs)), max: Math.round(Math.max(...xs)) } : { median: NaN, max: NaN });
  const breakdown: Record<string, number[]> = {};
  const add = (k: string, v: number) => (breakdown[k] ??= []).push(v);
  for (const t of all) {
    add('POST (chat: store)', t.postMs);
    for (const [fn, s] of Object.entries(t.stages)) {
      add(`${fn}: queue wait`, s.queueWaitMs);
      add(`${fn}: batching window`, s.windowMs);
      add(`${fn}: invocation`, s.invokeMs);
      add(`${fn}: delete`, s.deleteMs);
    }
    add('route deleted → ticket seen by GET', t.seenAfterMs);
    add('visible (total)', t.visibleMs);
  }
  return {
    trials: all.length,
    cold,
    visibleMs: stat(all.map((t) => t.visibleMs)),
    ingestToRoutedMs: stat(all.map((t) => t.ingestToRoutedMs)),
    postMs: stat(all.map((t) => t.postMs)),
    breakdownMs: Object.fromEntries(Object.entries(breakdown).map(([k, v]) => [k, Math.round(median(v))])),
    pollIntervalMs,
    othersCores: others.total(),
    all,
  };
}

export function printIdle(r: IdleFigures): void {
  if (r.trials === 0) return console.log(`\nfirst message on the fresh stack (cold imports, warms the stack): ${r.cold.visibleMs} ms`);
  console.log(`\n0. Idle latency: one chat message at a time on the idle, warmed stack (${r.trials} trials, GET every ${r.pollIntervalMs} ms)`);
  console.table({
    'POST → ticket listed, median ms': r.visibleMs.median,
    'POST → ticket listed, max ms': r.visibleMs.max,
    'ingest → routed (stored), median ms': r.ingestToRoutedMs.median,
    'ingest → routed (stored), max ms': r.ingestToRoutedMs.max,
    'POST round trip, median ms': r.postMs.median,
    'first message on the fresh stack (cold imports), ms': r.cold.visibleMs,
    'other processes\' CPU (cores, mean)': r.othersCores.toFixed(2) + (r.othersCores > 0.3 ? ' — DISTURBED' : ''),
  });
  console.log('where the time goes (medians, ms)');
  console.table(r.breakdownMs);
  console.log('first message (cold):', JSON.stringify(r.cold.stages));
}
