/**
 * The local stack: emulators, resources from the topology, and the functions
 * wired to their triggers (HTTP routes, queues, schedules) in this process.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import { interceptLocalhostDns } from 'fauxqs';
import { envVar, functionList, type QueueName } from '../topology';
import { ensureAdminApiKey, type AdminApiKey } from './admin-key';
import { LOCAL_CREDENTIALS, startEmulators } from './emulators';
import { startHttpServer, type HttpBinding } from './http-server';
import { LOCAL_REGION, localFunction, type LocalFunction } from './lambda';
import { startQueuePoller, type QueuePoller } from './queue-poller';
import { createResources, type LocalEnv } from './resources';
import { startScheduler, type Scheduler } from './scheduler';

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
  log?: (line: string) => void;
  logError?: (message: string, err: unknown) => void;
}

export interface LocalStack {
  apiUrl: string;
  /** The data folder; with `memory`, a temporary folder holding only the admin key file, removed on stop. */
  dataDir: string;
  memory: boolean;
  adminApiKey: AdminApiKey;
  endpoints: { dynamodb: string; sqs: string; s3: string };
  /** What was set on process.env for the handlers. */
  env: LocalEnv;
  queues: Array<{ queue: QueueName; url: string; functionName: string; batchSize: number; pollers: number }>;
  schedules: Array<{ name: string; expression: string }>;
  routes: Array<{ routeKey: string; functionName: string; auth: string }>;
  startupMs: number;
  /** Runs a scheduled function now; resolves with its result. */
  runSchedule(name: string): Promise<unknown>;
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
    const dataDir = memory ? await mkdtemp(join(tmpdir(), 'switchboard-')) : resolve(opts.dataDir ?? '.data');
    if (memory) cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    else await mkdir(dataDir, { recursive: true });

    const emulators = await startEmulators(memory ? {} : { dbPath: join(dataDir, 'dynamodb') });
    cleanups.push(() => emulators.stop());

    const { env, queues } = await createResources(emulators);
    // Handlers read their config when their module is first imported, which is
    // after this point (lazy loading), so the env is in place for all of them.
    Object.assign(process.env, env);
    // fauxqs queue URLs live on sqs.<region>.localhost, and the SQS client sends
    // to the queue URL's host when its endpoint came from the environment.
    // *.localhost is loopback by RFC 6761; teach this process's resolver so.
    cleanups.push(interceptLocalhostDns('localhost'));

    const adminApiKey = await ensureAdminApiKey({
      dynamodbEndpoint: emulators.dynamodb.endpoint,
      tableName: env[envVar.table('crm')]!,
      file: join(dataDir, 'admin-api-key'),
      reuse: !memory,
    });

    const fns: LocalFunction[] = [];
    for (const [name, spec] of functionList()) {
      // SES and SNS triggers are not served locally yet (a local SMTP server comes later).
      if (spec.trigger.kind === 'ses' || spec.trigger.kind === 'sns') continue;
      fns.push(localFunction(name, spec));
    }

    const authorizer = fns.find((f) => f.spec.trigger.kind === 'authorizer');
    const bindings: Array<HttpBinding & { functionName: string }> = fns.flatMap((f) =>
      f.spec.trigger.kind === 'http' ? f.spec.trigger.routes.map((route) => ({ route, invoke: f.invoke, functionName: f.name })) : [],
    );

    const sqs = new SQSClient({ endpoint: emulators.fauxqsEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
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
          log,
          logError,
        }),
      );
      queueInfo.push({ queue: t.queue, url: q.url, functionName: f.name, batchSize: t.batchSize, pollers: pollersPerQueue });
    }

    const jobs = fns.flatMap((f) =>
      f.spec.trigger.kind === 'schedule' ? [{ name: f.name, expression: f.spec.trigger.expression, invoke: f.invoke }] : [],
    );
    const scheduler: Scheduler = startScheduler(jobs, { log, logError });
    cleanups.push(() => scheduler.stop());

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
      dataDir,
      memory,
      adminApiKey,
      endpoints: { dynamodb: emulators.dynamodb.endpoint, sqs: emulators.fauxqsEndpoint, s3: emulators.fauxqsEndpoint },
      env,
      queues: queueInfo,
      schedules: jobs.map(({ name, expression }) => ({ name, expression })),
      routes: bindings.map((b) => ({
        routeKey: `${b.route.method} ${b.route.path}`,
        functionName: b.functionName,
        auth: b.route.auth === 'public' ? 'public' : b.route.auth.join('|'),
      })),
      startupMs: Math.round(performance.now() - started),
      runSchedule: (name) => scheduler.runNow(name),
      // Cleanups run in reverse: HTTP, scheduler, pollers, DNS, emulators (JVM last), temp folder.
      stop: () => (stopping ??= cleanup()),
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
