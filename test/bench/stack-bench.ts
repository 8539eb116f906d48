/**
 * The pipeline bench: drives the local stack (in this process) with chat messages and
 * measures throughput, latency, the storage ceiling, metered cost per message and the
 * bundles' size and cold init. One section of `npm run bench` (see run.ts).
 */
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { capacityMeter, resetCapacityMeter, setCapacityMetering } from '../../shared/adapters/capacity-meter';
import { crmStores } from '../../shared/adapters/crm-stores';
import { DynamoReportingStore } from '../../shared/adapters/dynamo-reporting-store';
import { hourOf } from '../../shared/analytics/counters';
import { CLOSE_MARGIN_MINUTES, rollUpRouting } from '../../shared/analytics/routing-counts';
import { SWEEP_GRACE_MS } from '../../shared/pipeline/sweep';
import { capacityReport } from '../../shared/adapters/capacity-report';
import { invocations } from '../../infra/local/lambda';
import { startLocalStack } from '../../infra/local/runtime';
import { functions } from '../../infra/topology';
import { measureBundles } from './bundles';
import { coldStartEvents } from './events';
import { BatchLog, measureIdle, printIdle } from './idle';
import { rawPutCeiling, runPipeline } from './pipeline';
import { printRate, runRate } from './rate';
import { PRICES } from './prices';


export interface StackBenchOptions {
  messages: number;
  concurrency: number;
  coldRuns: number;
  /** Rate mode (open loop): this many chat messages per second for `seconds`, instead of the burst. */
  rate?: number;
  seconds?: number;
  /** Idle-latency trials before the run (0: none). */
  idle: number;
  /** Only the latency figures (idle, burst or rate): no storage ceiling, cost or bundles. */
  latencyOnly?: boolean;
  /** Poll loops per queue trigger (the local runtime's default when unset). */
  pollers?: number;
}

/** Runs the pipeline section; prints its tables and returns its figures. */
export async function benchStack(opts: StackBenchOptions): Promise<Record<string, unknown>> {
  const N = opts.messages;
  const C = opts.concurrency;
  const coldRuns = opts.coldRuns;
  process.env.SWITCHBOARD_CAPACITY_METER = '1';
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  const batchLog = new BatchLog();
  const stack = await startLocalStack({ memory: true, port: 0, smtpPort: 0, quiet: true, logError: () => {}, onBatch: batchLog.onBatch, ...(opts.pollers ? { pollersPerQueue: opts.pollers } : {}) });
  const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
  try {
    const load = opts.rate ? `${opts.rate} messages/s for ${opts.seconds} s` : `${N} messages, concurrency ${C}`;
    console.log(`local stack up in ${stack.startupMs} ms; ${load}`);
    // Also warms the stack (the handlers' cold imports happen here, not in the run). Latency is measured
    // unmetered (the billing meter reads items around every write): the idle trials always, the run with --latency-only.
    setCapacityMetering(false);
    const idle = await measureIdle({ apiUrl: stack.apiUrl, adminKey: stack.adminApiKey.secret, env: stack.env, log: batchLog, trials: opts.idle });
    setCapacityMetering(opts.latencyOnly ? false : undefined);
    printIdle(idle);
    resetCapacityMeter();
    for (const k of Object.keys(invocations)) delete invocations[k];
    const queueUrl = (q: string) => stack.queues.find((x) => x.queue === q)!.url;
    const burst = () => runPipeline({ apiUrl: stack.apiUrl, env: stack.env, messages: N, concurrency: C, timeoutMs: 15 * 60_000 });
    // The burst runs twice unless latency only: timed with the meter off (latency, Lambda time, SQS
    // requests), then metered (DynamoDB units: the meter reads items around every write, which
    // slows the stack). The rate mode runs once, metered unless --latency-only.
    const twoPass = !opts.rate && !opts.latencyOnly;
    if (twoPass) setCapacityMetering(false);
    const pipeline = opts.rate
      ? await runRate({
          apiUrl: stack.apiUrl,
          env: stack.env,
          queueUrls: { routing: queueUrl('routing') },
          sqsEndpoint: stack.endpoints.sqs,
          rate: opts.rate,
          seconds: opts.seconds ?? 60,
          timeoutMs: 15 * 60_000,
          batchLog,
        })
      : await burst();
    if (pipeline.mode === 'rate') printRate(pipeline);
    if (opts.latencyOnly) {
      if (pipeline.mode === 'burst') {
        console.log('\n1. Pipeline (burst)');
        console.table({ messages: pipeline.messages, 'http errors': pipeline.httpErrors, 'ingest s': pipeline.ingestSeconds.toFixed(1), 'messages/s': pipeline.messagesPerSecond.toFixed(1), ...pipeline.latencyMs });
      }
      return { at: new Date().toISOString(), machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version }, idle, pipeline };
    }
    const calls = structuredClone(invocations);
    const timedSqs = structuredClone(capacityMeter().sqsRequests);
    let metered = pipeline;
    if (twoPass) {
      setCapacityMetering(undefined);
      resetCapacityMeter();
      metered = await burst();
      console.log(`metered pass: ${metered.messages} messages in ${metered.pipelineSeconds.toFixed(1)} s (latency not reported: the meter slows the stack)`);
    }
    // Reporting's share: the KPI job reads each routed message once live (its hour still open) and
    // once when it rolls the closed hour up; the sweeper reads each once from its watermark. Their
    // walks hold both passes' messages (and the idle trials'), so their units are metered apart
    // and counted per message read.
    const before = structuredClone(capacityMeter());
    const rolled = await rollUpTheRun(stack.env, pipeline.firstReceivedAt - 60_000, metered.lastRoutedAt, () => structuredClone(capacityMeter()));
    const afterRollup = structuredClone(capacityMeter());
    await sweepTheRun(stack.env, metered.lastRoutedAt);
    const meter = structuredClone(capacityMeter());
    const share = rolled.read > 0 ? metered.messages / rolled.read : 0;
    const units = (from: typeof before, to: typeof before) => ({ writeUnits: (to.writeUnits - from.writeUnits) * share, readUnits: (to.readUnits - from.readUnits) * share });
    // The live walk counts at the share of messages the job reads live (rollUpTheRun).
    const live = units(before, rolled.afterLive);
    const closed = units(rolled.afterLive, afterRollup);
    const rollupUnits = { writeUnits: live.writeUnits * rolled.liveShare + closed.writeUnits, readUnits: live.readUnits * rolled.liveShare + closed.readUnits };
    const sweepUnits = units(afterRollup, meter);
    meter.writeUnits = before.writeUnits + rollupUnits.writeUnits + sweepUnits.writeUnits;
    meter.readUnits = before.readUnits + rollupUnits.readUnits + sweepUnits.readUnits;
    console.log(`rollup: ${rolled.read} messages read (live walk counted at ${(rolled.liveShare * 100).toFixed(0)} %); per message ${(rollupUnits.readUnits / metered.messages).toFixed(3)} read units, ${(rollupUnits.writeUnits / metered.messages).toFixed(4)} write units`);
    console.log(`sweeper (one sweep over the run): per message ${(sweepUnits.readUnits / metered.messages).toFixed(3)} read units, ${(sweepUnits.writeUnits / metered.messages).toFixed(4)} write units`);
    if (twoPass) meter.sqsRequests = timedSqs;

    resetCapacityMeter();
    const puts = Math.max(2000, N);
    const rawPutsPerSecond = await rawPutCeiling({ env: stack.env, puts, concurrency: C });
    // Item writes a message makes (metered pass) at the rate the timed pass routed them.
    const pipelineItemWritesPerSecond = (meter.itemWrites / metered.messages) * pipeline.messagesPerSecond;

    const perMessage = {
      writeUnits: meter.writeUnits / metered.messages,
      readUnits: meter.readUnits / metered.messages,
      itemWrites: meter.itemWrites / metered.messages,
      sqsRequests: sum(meter.sqsRequests) / pipeline.messages,
      lambdaInvocations: sum(Object.fromEntries(Object.entries(calls).map(([k, v]) => [k, v.count]))) / pipeline.messages,
      lambdaGbSeconds: Object.values(calls).reduce((a, v) => a + (v.totalMs / 1000) * (v.memoryMb / 1024), 0) / pipeline.messages,
      httpRequests: 1,
    };
    const M = 1e6;
    const cost = {
      dynamodb: perMessage.writeUnits * PRICES.dynamoPerMillionWriteUnits + perMessage.readUnits * PRICES.dynamoPerMillionReadUnits,
      sqs: perMessage.sqsRequests * PRICES.sqsPerMillionRequests,
      lambdaRequests: perMessage.lambdaInvocations * PRICES.lambdaPerMillionRequests,
      lambdaCompute: perMessage.lambdaGbSeconds * M * PRICES.lambdaArmPerGbSecond,
      httpApi: perMessage.httpRequests * PRICES.httpApiPerMillionRequests,
    };
    const totalPerMillion = sum(cost);

    const bundles = await measureBundles({
      dir: resolve('bench-results/bundles'),
      env: stack.env,
      events: coldStartEvents(),
      runs: coldRuns,
    });

    const result = {
      at: new Date().toISOString(),
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
      prices: PRICES,
      idle,
      pipeline,
      storage: {
        rawPutsPerSecond,
        rawPuts: puts,
        pipelineItemWritesPerSecond,
        ratio: pipelineItemWritesPerSecond / rawPutsPerSecond,
      },
      perMessage,
      dynamoCalls: meter.calls,
      dynamoCapacity: { local: meter.local, unpriced: meter.unpriced, breakdown: meter.breakdown, transactions: meter.transactions },
      sqsRequests: meter.sqsRequests,
      invocations: calls,
      costPerMillionMessagesUsd: { ...cost, total: totalPerMillion },
      bundles,
    };

    const f = (n: number, d = 1) => n.toFixed(d);
    console.log('\n1. Pipeline');
    console.table({
      messages: pipeline.messages,
      'http errors': pipeline.httpErrors,
      'ingest s': f(pipeline.ingestSeconds),
      'pipeline s (first received → last routed)': f(pipeline.pipelineSeconds),
      'messages/s': f(pipeline.messagesPerSecond),
      'latency p50 ms': pipeline.latencyMs.p50,
      'latency p95 ms': pipeline.latencyMs.p95,
      'latency p99 ms': pipeline.latencyMs.p99,
    });
    console.log('2. Storage ceiling');
    console.table({
      'raw PutItem/s': f(rawPutsPerSecond),
      'pipeline item writes/s': f(pipelineItemWritesPerSecond),
      ratio: f(result.storage.ratio, 2),
    });
    console.log('3. Per message, and US$ per million messages at list prices of', PRICES.asOf);
    console.table({ ...Object.fromEntries(Object.entries(perMessage).map(([k, v]) => [k, f(v, 3)])) });
    console.table(Object.fromEntries(Object.entries({ ...cost, total: totalPerMillion }).map(([k, v]) => [k, `$${f(v, 2)}`])));
    const capacity = capacityReport(meter, metered.messages);
    console.log('DynamoDB per message as AWS bills it (DynamoDB Local\'s own figures beside), by item and index, by transaction shape');
    console.table(capacity.byCommand);
    console.table(capacity.breakdown);
    console.table(capacity.transactions);
    console.log('4. Bundles and cold init (median of', coldRuns, 'fresh node processes)');
    console.table(
      Object.fromEntries(
        [{ function: 'hello-world', ...bundles.helloWorld, ratioToHelloWorld: 1 }, ...bundles.functions].map((b) => [
          b.function,
          {
            'KB (SDK external)': f(b.bytes / 1024),
            'KB (SDK bundled)': f(b.bytesWithSdk / 1024),
            'cold ms': f(b.coldInitMs),
            'cold ms (SDK bundled)': f(b.coldInitMsWithSdk),
            '× hello': f(b.ratioToHelloWorld, 2),
          },
        ]),
      ),
    );
    return result;
  } finally {
    setCapacityMetering(undefined);
    await stack.stop();
  }
}

/**
 * The sweeper's walk as its job makes it once the run is past the grace period (it lists what was
 * received before now − grace: here, up to just after the last message), each message read once.
 */
async function sweepTheRun(env: Record<string, string>, last: number): Promise<void> {
  const crm = crmStores({ tableName: env.CRM_TABLE! });
  const now = last + SWEEP_GRACE_MS + 1000;
  await crm.listPendingMessages(new Date(now - SWEEP_GRACE_MS), 100);
}

/**
 * The KPI job's rollup over the run's hours: once while they are open (live read), once closed.
 * The job runs at minute M of every hour (its cron in the topology), just after the hour before
 * closes: a message is read live only when it came in the first M minutes of its hour, so under
 * arrivals spread evenly over the hour the live walk counts at M / 60 a message (`liveShare`).
 * Returns how many routed messages the two walks read (each counted once) and the meter between.
 */
async function rollUpTheRun<M>(env: Record<string, string>, first: number, last: number, meter: () => M): Promise<{ read: number; liveShare: number; afterLive: M }> {
  const crm = crmStores({ tableName: env.CRM_TABLE! });
  const reporting = new DynamoReportingStore({ tableName: env.REPORTING_TABLE! });
  const fromHour = hourOf(new Date(first));
  await rollUpRouting(crm, reporting, new Date(last + 1000), fromHour);
  const afterLive = meter();
  const closedAt = Date.parse(`${hourOf(new Date(last))}:00:00Z`) + 3_600_000 + (CLOSE_MARGIN_MINUTES + 1) * 60_000;
  await rollUpRouting(crm, reporting, new Date(closedAt), fromHour);
  let read = 0;
  setCapacityMetering(false);
  await crm.forEachCounted(`${fromHour}:00:00.000Z`, new Date(closedAt).toISOString(), () => void read++);
  setCapacityMetering(undefined);
  return { read, liveShare: kpiJobMinute() / 60, afterLive };
}

/** The minute past each hour the KPI job runs at (its `cron(M * * * ? *)` in the topology). */
function kpiJobMinute(): number {
  const t = functions.kpis!.trigger;
  const minute = t.kind === 'schedule' ? /^cron\((\d+) \* \* \* \? \*\)$/.exec(t.expression)?.[1] : undefined;
  if (minute === undefined) throw new Error('The bench prices the KPI job run hourly at a fixed minute: cron(M * * * ? *)');
  return Number(minute);
}
