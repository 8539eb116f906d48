/**
 * The local stack: emulators, resources from the topology, and the functions
 * wired to their triggers (HTTP routes, queues, the crm stream, schedules) in this process.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import type { SNSEvent } from 'aws-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { interceptLocalhostDns } from 'fauxqs';
import { meterSqs } from '../../shared/adapters/capacity-meter';
import { envVar, functionList, type QueueName, type TableName } from '../topology';
import { ensureAdminApiKey, type AdminApiKey } from './admin-key';
import { LOCAL_CREDENTIALS, startEmulators } from './emulators';
import { startHttpServer, type HttpBinding } from './http-server';
import { LOCAL_REGION, localFunction, type LocalFunction } from './lambda';
import { startQueuePoller, type BatchTiming, type QueuePoller } from './queue-poller';
import { createResources, topicEnvVar, type LocalEnv } from './resources';
import { startScheduler, type Scheduler } from './scheduler';
import { startSesEmulator } from './ses-emulator';
import { startSmsEmulator, type SentSms } from './sms-emulator';
import { startSmtpIngest } from './smtp-ingest';
import { startStreamPoller, type StreamBatchTiming, type StreamPoller } from './stream-poller';

export interface LocalStackOptions {
  /** Throwaway DynamoDB (in memory) instead of `<dataDir>/dynamodb`. */
  memory?: boolean;
  /** Absolute or relative to the cwd; default `.data`. Ignored with `memory`. */
  dataDir?: string;
  /** API port; 0 picks a free one. Default 3000. */
  port?: number;
  host?: string;
  /** No per-request and per-batch log lines. */
  quiet?: boolean;
  /** Concurrent pollers per queue trigger (default 2). */
  pollersPerQueue?: number;
  /** Port of the local SMTP server standing in for SES inbound (default 2525; 0 picks a free one). */
  smtpPort?: number;
  /** Each queue or stream batch's timings (received, invoked, returned, deleted), for the bench. */
  onBatch?: (timing: (BatchTiming | StreamBatchTiming) & { functionName: string }) => void;
  log?: (line: string) => void;
  logError?: (message: string, err: unknown) => void;
}

export interface LocalStack {
  apiUrl: string;
  /** The data folder (absolute); undefined with `memory`, where nothing is written to disk. */
  dataDir?: string;
  memory: boolean;
  adminApiKey: AdminApiKey;
  endpoints: { dynamodb: string; sqs: string; s3: string };
  /** What was set on process.env for the handlers. */
  env: LocalEnv;
  queues: Array<{ queue: QueueName; url: string; functionName: string; batchSize: number; pollers: number }>;
  /** Table streams and the functions they trigger. */
  streams: Array<{ table: TableName; streamArn: string; functionName: string; batchSize: number }>;
  schedules: Array<{ name: string; expression: string }>;
  routes: Array<{ routeKey: string; functionName: string; auth: string }>;
  /** Where the local SMTP server (SES inbound stand-in) listens. */
  smtp: { host: string; port: number };
  /**
   * Outbound stand-ins: SES v2 (web page of sent mail at the URL, JSON at `/store`) and
   * End User Messaging SMS (sent texts at `/messages`; `POST /inbound` texts us).
   */
  outbound: { sesUrl: string; smsUrl: string; sentSms(): SentSms[] };
  startupMs: number;
  /** Runs a scheduled function now; resolves with its result. */
  runSchedule(name: string): Promise<unknown>;
  /**
   * Invokes any function of the topology with an event, as `aws lambda invoke` would
   * (SES- and SNS-triggered ones too, which have no local trigger yet); resolves with its result.
   */
  invoke(functionName: string, event: unknown): Promise<unknown>;
  /** Stops everything this stack started, the DynamoDB Local JVM included. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts the whole local stack. If any step fails, whatever was already
 * started is stopped before the error is rethrown.
 */
export async function startLocalStack(opts: LocalStackOptions = {}): Promise<LocalStack> {
  const started = performance.now();
  const memory = opts.memory ?? false;
  const quiet = opts.quiet ?? false;
  const log = quiet ? () => undefined : (opts.log ?? ((line: string) => console.log(line)));
  const logError = opts.logError ?? ((message: string, err: unknown) => console.error(message, err));
  const cleanups: Array<() => Promise<void> | void> = [];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (err) {
        logError('error while stopping the local stack', err);
      }
    }
    cleanups.length = 0;
  };

  try {
    const dataDir = memory ? undefined : resolve(opts.dataDir ?? '.data');
    if (dataDir) await mkdir(dataDir, { recursive: true });

    const emulators = await startEmulators(dataDir ? { dbPath: join(dataDir, 'dynamodb') } : {});
    cleanups.push(() => emulators.stop());

    const resources = await createResources(emulators);
    const queues = resources.queues;
    // fauxqs queue URLs live on http://sqs.<region>.localhost:<port>. An SQSClient
    // whose endpoint comes from the environment (as the handlers' do) sends to
    // the queue URL's host instead, warning on every call unless the two agree.
    // So, in this process, the SQS endpoint is the queue URLs' own origin, and
    // *.localhost resolves to loopback (as RFC 6761 says it should).
    const host = opts.host ?? '127.0.0.1';
    // Outbound mail and SMS (and inbound SMS, handed to the topic's subscribers once they exist below).
    const ses = await startSesEmulator({ host });
    cleanups.push(() => ses.stop());
    const smsSubscribers: Array<(event: SNSEvent) => Promise<unknown>> = [];
    const sms = await startSmsEmulator({
      host,
      topicArn: resources.env[topicEnvVar('inboundSms')]!,
      onInbound: (event) => Promise.all(smsSubscribers.map((invoke) => invoke(event))),
      logError,
    });
    cleanups.push(() => sms.stop());
    const env: LocalEnv = {
      ...resources.env,
      AWS_ENDPOINT_URL_SQS: new URL(queues.routing.url).origin,
      AWS_ENDPOINT_URL_SESV2: ses.url,
      AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2: sms.url,
    };
    cleanups.push(interceptLocalhostDns('localhost'));
    // Handlers read their config when their module is first imported, which is
    // after this point (lazy loading), so the env is in place for all of them.
    Object.assign(process.env, env);

    const adminApiKey = await ensureAdminApiKey({
      dynamodbEndpoint: emulators.dynamodb.endpoint,
      tableName: env[envVar.table('crm')]!,
      ...(dataDir ? { file: join(dataDir, 'admin-api-key') } : {}),
    });

    const all = new Map<string, LocalFunction>(functionList().map(([name, spec]) => [name, localFunction(name, spec)]));
    // SES is served by the SMTP server below, the SNS (SMS) functions by the SMS emulator's `/inbound`.
    const fns = [...all.values()].filter((f) => f.spec.trigger.kind !== 'ses' && f.spec.trigger.kind !== 'sns');

    for (const f of all.values()) if (f.spec.trigger.kind === 'sns' && f.spec.trigger.topic === 'inboundSms') smsSubscribers.push(f.invoke);

    const authorizer = fns.find((f) => f.spec.trigger.kind === 'authorizer');
    const bindings: Array<HttpBinding & { functionName: string }> = fns.flatMap((f) =>
      f.spec.trigger.kind === 'http' ? f.spec.trigger.routes.map((route) => ({ route, invoke: f.invoke, functionName: f.name })) : [],
    );

    const sqs = new SQSClient({ endpoint: emulators.fauxqsEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    // The pollers' requests are billed in AWS too (the event source mapping polls for you).
    meterSqs(sqs);
    cleanups.push(() => sqs.destroy());
    const pollersPerQueue = opts.pollersPerQueue ?? 2;
    const queueInfo: LocalStack['queues'] = [];
    const pollers: QueuePoller[] = [];
    cleanups.push(() => Promise.all(pollers.map((p) => p.stop())).then(() => undefined));
    for (const f of fns) {
      const t = f.spec.trigger;
      if (t.kind !== 'queue') continue;
      const q = queues[t.queue];
      pollers.push(
        await startQueuePoller({
          client: sqs,
          queueUrl: q.url,
          queueArn: q.arn,
          batchSize: t.batchSize,
          maxBatchingWindowSeconds: t.maxBatchingWindowSeconds,
          concurrency: pollersPerQueue,
          invoke: (event) => f.invoke(event),
          ...(opts.onBatch ? { onBatch: (timing: BatchTiming) => opts.onBatch!({ ...timing, functionName: f.name }) } : {}),
          log,
          logError,
        }),
      );
      queueInfo.push({ queue: t.queue, url: q.url, functionName: f.name, batchSize: t.batchSize, pollers: pollersPerQueue });
    }

    // Table streams, read like Lambda's DynamoDB event source mapping (GetRecords by Lambda is not billed: not metered).
    const streams = new DynamoDBStreamsClient({ endpoint: emulators.dynamodb.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    cleanups.push(() => streams.destroy());
    const streamInfo: LocalStack['streams'] = [];
    const streamPollers: StreamPoller[] = [];
    cleanups.push(() => Promise.all(streamPollers.map((p) => p.stop())).then(() => undefined));
    for (const f of fns) {
      const t = f.spec.trigger;
      if (t.kind !== 'stream') continue;
      const streamArn = resources.streams[t.table];
      if (!streamArn) throw new Error(`Function ${f.name} reads the ${t.table} table's stream, but the topology gives that table none`);
      streamPollers.push(
        await startStreamPoller({
          client: streams,
          streamArn,
          batchSize: t.batchSize,
          maxBatchingWindowSeconds: t.maxBatchingWindowSeconds,
          retryAttempts: t.retryAttempts,
          filter: t.filter,
          invoke: (event) => f.invoke(event),
          ...(opts.onBatch ? { onBatch: (timing: StreamBatchTiming) => opts.onBatch!({ ...timing, functionName: f.name }) } : {}),
          log,
          logError,
        }),
      );
      streamInfo.push({ table: t.table, streamArn, functionName: f.name, batchSize: t.batchSize });
    }

    const jobs = fns.flatMap((f) =>
      f.spec.trigger.kind === 'schedule' ? [{ name: f.name, expression: f.spec.trigger.expression, invoke: f.invoke }] : [],
    );
    const scheduler: Scheduler = startScheduler(jobs, { log, logError });
    cleanups.push(() => scheduler.stop());

    const s3 = new S3Client({ endpoint: emulators.fauxqsEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, forcePathStyle: true });
    cleanups.push(() => s3.destroy());
    const sesFunctions = [...all.values()].filter((f) => f.spec.trigger.kind === 'ses');
    const smtp = await startSmtpIngest({
      host,
      port: opts.smtpPort ?? 2525,
      s3Client: s3,
      bucket: env[envVar.bucket('rawMail')]!,
      invoke: async (event) => Promise.all(sesFunctions.map((f) => f.invoke(event))),
      log,
      logError,
    });
    cleanups.push(() => smtp.stop());

    // The API last: once it answers, everything behind it runs. Stopped first, so no new work comes in.
    const http = await startHttpServer({
      routes: bindings,
      ...(authorizer ? { authorizer: authorizer.invoke } : {}),
      port: opts.port ?? 3000,
      host: opts.host ?? '127.0.0.1',
      quiet,
      log,
      logError,
    });
    cleanups.push(() => http.close());

    let stopping: Promise<void> | undefined;
    return {
      apiUrl: http.url,
      ...(dataDir ? { dataDir } : {}),
      memory,
      adminApiKey,
      endpoints: { dynamodb: emulators.dynamodb.endpoint, sqs: emulators.fauxqsEndpoint, s3: emulators.fauxqsEndpoint },
      env,
      queues: queueInfo,
      streams: streamInfo,
      schedules: jobs.map(({ name, expression }) => ({ name, expression })),
      routes: bindings.map((b) => ({
        routeKey: `${b.route.method} ${b.route.path}`,
        functionName: b.functionName,
        auth: b.route.auth === 'public' ? 'public' : b.route.auth.join('|'),
      })),
      smtp: { host, port: smtp.port },
      outbound: { sesUrl: ses.url, smsUrl: sms.url, sentSms: () => sms.sent() },
      startupMs: Math.round(performance.now() - started),
      runSchedule: (name) => scheduler.runNow(name),
      invoke: async (functionName, event) => {
        const f = all.get(functionName);
        if (!f) throw new Error(`No function named "${functionName}" (have: ${[...all.keys()].join(', ')})`);
        return f.invoke(event);
      },
      // Cleanups run in reverse: HTTP, scheduler, stream and queue pollers, DNS, emulators (JVM last).
      stop: () => (stopping ??= cleanup()),
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
