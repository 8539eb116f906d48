/**
 * Rate mode of the pipeline bench (open loop): chat messages offered at a fixed rate,
 * message i sent at t0 + i/rate whatever the responses, then measured per 10-second
 * window of send time, with the messages waiting for classify and the routing queue's depth sampled every
 * second, so a backlog that grows shows as such.
 *
 * Sessions: five messages each (one opens a ticket, four append), interleaved so that a
 * session's messages are `sessionGapSeconds` apart (one per second by default, as a visitor
 * types) and strictly in order: a message whose session's previous POST has not answered
 * yet waits for it (counted as a late send; the offered schedule does not move).
 */
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { linearRegression, quantileSorted } from 'simple-statistics';
import { capacityMeter, capacityMeteringOn } from '../../shared/adapters/capacity-meter';
import { invocations } from '../../infra/local/lambda';
import { newSessionId, PER_SESSION, postChat, routedLatencies, summarize, waitUntilRouted, type LatencySummary, type PipelineFigures } from './pipeline';
import type { BatchLog } from './idle';
import { othersCpu } from './machine-load';
import { routedTimes } from './routed-times';

export interface DepthSample {
  /** Seconds since t0 (the first scheduled send). */
  t: number;
  /**
   * Messages stored but not classified yet (the crm stream has no depth to ask for): POSTs
   * answered so far minus records classify handled (visible), nothing in flight.
   */
  inbound: { visible: number; inFlight: number };
  routing: { visible: number; inFlight: number };
  /** Cores used by other processes (not this one, not its DynamoDB Local) in the second before the sample. */
  othersCores: number;
}

export interface Quantiles {
  p50: number;
  p95: number;
}

export interface RateWindow {
  /** Send-time window [fromS, toS) relative to t0. */
  fromS: number;
  toS: number;
  messages: number;
  latencyMs: LatencySummary;
}

export interface RateFigures extends Omit<PipelineFigures, 'mode'> {
  mode: 'rate';
  /** DynamoDB billing meter on during the run (it reads items around every write: latency is then pessimistic). */
  metered: boolean;
  offeredRate: number;
  seconds: number;
  /** (sent − 1) / (last actual send − first actual send). */
  achievedSendRate: number;
  /** Sends that left more than 50 ms after their slot (the load generator shares the process with the stack). */
  lateSends: number;
  sendLagMs: { p50: number; p99: number; max: number };
  /** Cores other processes used on average during the run, and in its busiest 10 s. */
  othersCores: number;
  othersCoresBusiest10s: number;
  /** Someone else's job took more than 0.3 cores on average over the run or over some 10 s of it. */
  disturbed: boolean;
  /** Cores this Node process (stack + load generator) and DynamoDB Local used on average during the run. */
  ourCores: { node: number; children: number };
  /** Client-side POST round trip (what the chat widget waits for). */
  httpLatencyMs: LatencySummary;
  windows: RateWindow[];
  depth: DepthSample[];
  /**
   * Per queue-triggered function during the run: invocations, records per invocation, and where a
   * record's time went (the pollers' batch timings), p50 / p95 ms over records: sent → invoked
   * (SentTimestamp to the invocation of its batch: time in the queue plus the batching window), the
   * batching window of its batch (first receive → invoke), and its batch's invocation.
   */
  batches: Record<
    string,
    {
      invocations: number;
      recordsPerInvocation: number;
      /** Billed compute per message: invocation wall time × memory (local durations: indicative only). */
      gbSecondsPerMessage: number;
      sentToInvokedMs: Quantiles;
      windowMs: Quantiles;
      invocationMs: Quantiles;
    }
  >;
  /** SQS requests per message by command (when the capacity meter is on): the pollers' receives and deletes, the sends. */
  sqsRequestsPerMessage?: Record<string, number>;
  backlog: {
    /** Linear trend of the messages waiting for classify + routing depth (visible + in flight) over the sending period after the first window, messages/s. */
    depthTrendPerSecond: number;
    maxDepth: number;
    meanDepthFirstWindow: number;
    meanDepthLastWindow: number;
    p95FirstWindowMs: number;
    p95LastWindowMs: number;
    /** Last routedAt − last send: how long the stack needed to catch up after the offer stopped. */
    drainMs: number;
    growing: boolean;
    rule: string;
  };
}

const BACKLOG_RULE =
  'growing when the linear trend of waiting messages (stored not classified, + routing visible + in flight) over the sending period after the first 10 s exceeds 1 % of the offered rate, ' +
  'or the last 10-s window\'s p95 exceeds twice the first window\'s p95 plus 250 ms';

export async function runRate(opts: {
  apiUrl: string;
  env: Record<string, string>;
  /** Queue URLs of the stack: the depth sampler reads routing (classify's backlog comes from the batch log). */
  queueUrls: { routing: string };
  sqsEndpoint: string;
  rate: number;
  seconds: number;
  sessionGapSeconds?: number;
  timeoutMs: number;
  /** The stack's batch timings (see idle.ts): recorded during the run for the stage breakdown. */
  batchLog?: BatchLog;
}): Promise<RateFigures> {
  const n = Math.max(1, Math.round(opts.rate * opts.seconds));
  const interval = 1000 / opts.rate;
  // Sessions in groups of `width`: slot i → group ⌊i / (5·width)⌋, session i mod width, message ⌊(i mod 5·width) / width⌋.
  const width = Math.max(1, Math.round(opts.rate * (opts.sessionGapSeconds ?? 1)));
  const sessions: string[] = [];
  const slots = Array.from({ length: n }, (_, i) => {
    const group = Math.floor(i / (PER_SESSION * width));
    const s = group * width + (i % width);
    sessions[s] ??= newSessionId();
    return { session: sessions[s]!, k: Math.floor((i % (PER_SESSION * width)) / width) };
  });

  const sqs = new SQSClient({ endpoint: opts.sqsEndpoint, region: opts.env.AWS_REGION ?? 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const depthOf = async (url: string) => {
    const a = (
      await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }))
    ).Attributes ?? {};
    return { visible: Number(a.ApproximateNumberOfMessages ?? 0), inFlight: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0) };
  };
  const depth: DepthSample[] = [];
  // Sparse: an entry per POST answered so far (the sampler counts them).
  const answeredAt: number[] = new Array(n);
  const invocationsBefore = Object.fromEntries(Object.entries(invocations).map(([k, v]) => [k, { count: v.count, totalMs: v.totalMs }]));
  const sqsBefore = { ...capacityMeter().sqsRequests };

  if (opts.batchLog) {
    opts.batchLog.batches.length = 0;
    opts.batchLog.recording = true;
  }
  const metered = capacityMeteringOn();
  const t0 = performance.now() + 200;
  const others = othersCpu();
  let sampling = true;
  const sampler = (async () => {
    for (let k = 0; sampling; k++) {
      const at = t0 + k * 1000;
      const wait = at - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (!sampling) break;
      try {
        const routing = await depthOf(opts.queueUrls.routing);
        const answered = answeredAt.reduce((n) => n + 1, 0);
        const classified = (opts.batchLog?.batches ?? []).filter((b) => b.functionName === 'classify').reduce((n, b) => n + b.records - b.failed, 0);
        const inbound = { visible: Math.max(0, answered - classified), inFlight: 0 };
        depth.push({ t: Math.round((performance.now() - t0) / 100) / 10, inbound, routing, othersCores: others.sample() });
      } catch {
        // a missed sample is not a failed run
      }
    }
  })();

  const ids: Array<string | undefined> = new Array(n);
  const sentAt: number[] = new Array(n);
  const previous = new Map<string, Promise<unknown>>();
  const inFlight: Array<Promise<unknown>> = [];
  for (let i = 0; i < n; i++) {
    const slot = t0 + i * interval;
    const wait = slot - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const { session, k } = slots[i]!;
    const send = async () => {
      sentAt[i] = performance.now();
      ids[i] = await postChat(opts.apiUrl, session, k);
      answeredAt[i] = performance.now();
    };
    const before = previous.get(session);
    const p = before ? before.then(send) : send();
    previous.set(session, p);
    inFlight.push(p);
  }
  await Promise.all(inFlight);
  const lastSend = Math.max(...sentAt);
  const lastSendEpoch = Date.now() - (performance.now() - lastSend);

  const probe = routedTimes(opts.env);
  try {
    await waitUntilRouted(probe, ids.filter((id): id is string => id !== undefined), opts.timeoutMs);
    sampling = false;
    await sampler;
    await new Promise((r) => setTimeout(r, 200)); // the last deletes and their timings
    if (opts.batchLog) opts.batchLog.recording = false;
    const okIds = ids.filter((id): id is string => id !== undefined);
    const { byId, first, last } = await routedLatencies(probe, okIds);
    const latencies = [...byId.values()];

    const windowS = 10;
    const windows: RateWindow[] = [];
    for (let w = 0; w * windowS < opts.seconds; w++) {
      const values = ids.flatMap((id, i) => (id && Math.floor((i * interval) / 1000 / windowS) === w ? [byId.get(id)!] : []));
      windows.push({ fromS: w * windowS, toS: Math.min(opts.seconds, (w + 1) * windowS), messages: values.length, latencyMs: summarize(values) });
    }
    const lags = sentAt.map((s, i) => s - (t0 + i * interval)).sort((a, b) => a - b);
    const rtts = answeredAt.map((a, i) => a - sentAt[i]!);
    const duringSend = depth.filter((d) => d.t <= opts.seconds);
    // The trend leaves out the first window: the queues fill to their steady depth (rate × latency) there.
    const settleS = opts.seconds > 2 * windowS ? windowS : opts.seconds / 2;
    const settled = duringSend.filter((d) => d.t >= settleS);
    const total = (d: DepthSample) => d.inbound.visible + d.inbound.inFlight + d.routing.visible + d.routing.inFlight;
    const trend = settled.length >= 2 ? linearRegression(settled.map((d) => [d.t, total(d)])).m : 0;
    const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
    const firstW = windows[0]!;
    const lastW = windows.at(-1)!;
    const p95First = firstW.latencyMs.p95;
    const p95Last = lastW.latencyMs.p95;
    const firstSend = Math.min(...sentAt);

    const batches: RateFigures['batches'] = {};
    const qs = (xs: number[]): Quantiles => {
      const sorted = xs.filter(Number.isFinite).sort((a, b) => a - b);
      return sorted.length ? { p50: Math.round(quantileSorted(sorted, 0.5)), p95: Math.round(quantileSorted(sorted, 0.95)) } : { p50: NaN, p95: NaN };
    };
    for (const name of ['classify', 'route']) {
      const count = (invocations[name]?.count ?? 0) - (invocationsBefore[name]?.count ?? 0);
      const ms = (invocations[name]?.totalMs ?? 0) - (invocationsBefore[name]?.totalMs ?? 0);
      const mine = opts.batchLog?.batches.filter((b) => b.functionName === name) ?? [];
      batches[name] = {
        invocations: count,
        recordsPerInvocation: count ? okIds.length / count : NaN,
        gbSecondsPerMessage: ((ms / 1000) * ((invocations[name]?.memoryMb ?? 0) / 1024)) / okIds.length,
        // Per record (a batch's window and invocation count once for each of its records).
        // Not for the stream: its records' creation times are rounded (to the minute on DynamoDB Local).
        sentToInvokedMs: qs(mine.flatMap((b) => ('streamArn' in b ? [] : b.sentAt.map((t) => b.invokedAt - t)))),
        windowMs: qs(mine.flatMap((b) => b.sentAt.map(() => b.invokedAt - b.firstReceivedAt))),
        invocationMs: qs(mine.flatMap((b) => b.sentAt.map(() => b.returnedAt - b.invokedAt))),
      };
    }
    const sqsNow = capacityMeter().sqsRequests;
    const sqsRequestsPerMessage = Object.keys(sqsNow).length
      ? Object.fromEntries(Object.entries(sqsNow).map(([k, v]) => [k, (v - (sqsBefore[k] ?? 0)) / okIds.length]))
      : undefined;

    const othersTotal = others.total();
    let busiest = 0;
    for (let i = 0; i + 10 <= depth.length; i++) busiest = Math.max(busiest, mean(depth.slice(i, i + 10).map((d) => d.othersCores)));
    const pipelineSeconds = (last - first) / 1000;
    return {
      mode: 'rate',
      metered,
      firstReceivedAt: first,
      lastRoutedAt: last,
      messages: okIds.length,
      sessions: sessions.length,
      concurrency: width,
      ingestSeconds: (lastSend - firstSend) / 1000,
      pipelineSeconds,
      messagesPerSecond: okIds.length / pipelineSeconds,
      latencyMs: summarize(latencies),
      httpErrors: n - okIds.length,
      othersCores: othersTotal,
      othersCoresBusiest10s: busiest,
      disturbed: othersTotal > 0.3 || busiest > 0.3,
      ourCores: others.ours(),
      offeredRate: opts.rate,
      seconds: opts.seconds,
      achievedSendRate: (n - 1) / ((lastSend - firstSend) / 1000),
      lateSends: lags.filter((l) => l > 50).length,
      sendLagMs: { p50: Math.round(quantileSorted(lags, 0.5)), p99: Math.round(quantileSorted(lags, 0.99)), max: Math.round(lags.at(-1)!) },
      httpLatencyMs: summarize(rtts),
      windows,
      depth,
      batches,
      ...(sqsRequestsPerMessage ? { sqsRequestsPerMessage } : {}),
      backlog: {
        depthTrendPerSecond: trend,
        maxDepth: Math.max(0, ...depth.map(total)),
        meanDepthFirstWindow: mean(duringSend.filter((d) => d.t < windowS).map(total)),
        meanDepthLastWindow: mean(duringSend.filter((d) => d.t >= opts.seconds - windowS).map(total)),
        p95FirstWindowMs: p95First,
        p95LastWindowMs: p95Last,
        drainMs: Math.round(Math.max(0, last - lastSendEpoch)),
        growing: trend > 0.01 * opts.rate || p95Last > 2 * p95First + 250,
        rule: BACKLOG_RULE,
      },
    };
  } finally {
    sampling = false;
    if (opts.batchLog) opts.batchLog.recording = false;
    await sampler.catch(() => undefined);
    probe.close();
    sqs.destroy();
  }
}

/** Console tables of a rate run. */
export function printRate(r: RateFigures): void {
  const f = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : String(x));
  console.log(`\n1. Pipeline at a fixed rate: ${r.offeredRate} messages/s offered for ${r.seconds} s (open loop, ${r.sessions} sessions of ${PER_SESSION})`);
  if (r.metered) console.log('   (DynamoDB billing meter on: it reads items around every write, so these latencies are pessimistic; --latency-only runs unmetered)');
  console.table({
    messages: r.messages,
    'http errors': r.httpErrors,
    'achieved send rate /s': f(r.achievedSendRate, 2),
    'late sends (> 50 ms)': r.lateSends,
    'send lag p50/p99/max ms': `${r.sendLagMs.p50} / ${r.sendLagMs.p99} / ${r.sendLagMs.max}`,
    'POST round trip p50/p95/max ms': `${r.httpLatencyMs.p50} / ${r.httpLatencyMs.p95} / ${r.httpLatencyMs.max}`,
    'ingest → routed p50 ms': r.latencyMs.p50,
    'ingest → routed p95 ms': r.latencyMs.p95,
    'ingest → routed p99 ms': r.latencyMs.p99,
    'ingest → routed max ms': r.latencyMs.max,
    'throughput messages/s (first received → last routed)': f(r.messagesPerSecond),
    'drain after last send ms': r.backlog.drainMs,
    'other processes\' CPU (cores, mean / busiest 10 s)': `${f(r.othersCores, 2)} / ${f(r.othersCoresBusiest10s, 2)}` + (r.disturbed ? ' — DISTURBED' : ''),
    'this process / DynamoDB Local CPU (cores, mean)': `${f(r.ourCores.node, 2)} / ${f(r.ourCores.children, 2)}`,
  });
  console.log('ingest → routed by 10-second window of send time');
  console.table(
    Object.fromEntries(r.windows.map((w) => [`${w.fromS}–${w.toS} s`, { messages: w.messages, 'p50 ms': w.latencyMs.p50, 'p95 ms': w.latencyMs.p95, 'p99 ms': w.latencyMs.p99, 'max ms': w.latencyMs.max }])),
  );
  console.log('waiting messages (stored not classified; routing visible + in flight) and cores used by other processes, sampled every second; a line per 5 s');
  console.table(
    Object.fromEntries(
      r.depth
        .filter((_, i) => i % 5 === 0)
        .map((d) => [`${f(d.t)} s`, { 'stored, not classified': `${d.inbound.visible}`, routing: `${d.routing.visible} + ${d.routing.inFlight}`, 'others\' cores': f(d.othersCores, 2) }]),
    ),
  );
  console.log('batches (per record: sent → invoked = queue + window; the window and the invocation of its batch)');
  // A stream's records carry no precise write time (see StreamBatchTiming): no figure, not NaN.
  const pq = (q: Quantiles) => (Number.isFinite(q.p50) ? `${q.p50} / ${q.p95}` : 'n/a (stream)');
  console.table(
    Object.fromEntries(
      Object.entries(r.batches).map(([k, v]) => [
        k,
        {
          invocations: v.invocations,
          'records / invocation': f(v.recordsPerInvocation, 2),
          'GB-s / message': v.gbSecondsPerMessage.toFixed(5),
          'sent → invoked p50/p95 ms': pq(v.sentToInvokedMs),
          'window p50/p95 ms': pq(v.windowMs),
          'invocation p50/p95 ms': pq(v.invocationMs),
        },
      ]),
    ),
  );
  if (r.sqsRequestsPerMessage) console.table(Object.fromEntries(Object.entries(r.sqsRequestsPerMessage).map(([k, v]) => [k, f(v, 3)])));
  const b = r.backlog;
  console.log(
    `backlog: ${b.growing ? 'GROWING' : 'steady'} — depth trend ${f(b.depthTrendPerSecond, 3)} messages/s (max depth ${b.maxDepth}, mean ${f(b.meanDepthFirstWindow)} in the first window, ${f(b.meanDepthLastWindow)} in the last); ` +
      `p95 first window ${b.p95FirstWindowMs} ms, last ${b.p95LastWindowMs} ms. Rule: ${b.rule}.`,
  );
}
