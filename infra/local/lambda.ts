/**
 * In-process stand-in for the Lambda runtime: loads a function's handler module
 * on first use and invokes it with a realistic `Context` and the function's
 * timeout from the topology.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import type { FunctionSpec } from '../topology';

/** Any Lambda handler: async, `(event, context)`. Callback-style handlers are not supported (Node 24 runtime dropped them). */
export type LambdaHandler = (event: never, context: Context) => unknown;

/** Invokes a function with an event and resolves with its result (or rejects with its error). */
export type Invoke = (event: unknown) => Promise<unknown>;

/** The account and region the local stack pretends to be in. */
export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'us-east-1';

/** Repository root: handler entries in the topology are relative to it. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The handler module could not be imported, or does not export `handler`. */
export class HandlerLoadError extends Error {
  override readonly name = 'HandlerLoadError';
}

/** The handler ran longer than the function's timeout (Lambda would kill it). */
export class LambdaTimeoutError extends Error {
  override readonly name = 'LambdaTimeoutError';
}

/** Local physical name of a function, as CloudFormation would give it a stable prefix. */
export const localFunctionName = (name: string): string => `switchboard-${name}`;

/**
 * A Lambda `Context` as the Node.js runtime passes it. `getRemainingTimeInMillis`
 * counts down from the function's timeout, which lets handlers that budget their
 * time (e.g. the sweeper) behave as they would in AWS.
 */
export function lambdaContext(name: string, spec: Pick<FunctionSpec, 'memoryMb' | 'timeoutSeconds'>, startedAt = Date.now()): Context {
  const functionName = localFunctionName(name);
  const deadline = startedAt + spec.timeoutSeconds * 1000;
  const day = new Date(startedAt).toISOString().slice(0, 10).replaceAll('-', '/');
  const unsupported = () => {
    throw new Error('Callback-style completion (done/fail/succeed) is not supported; return a value or a promise.');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${functionName}`,
    memoryLimitInMB: String(spec.memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${day}/[$LATEST]${randomBytes(16).toString('hex')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

/** Imports `entry` (relative to `rootDir`) and returns its `handler` export. */
export async function importHandler(name: string, entry: string, rootDir = REPO_ROOT): Promise<LambdaHandler> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(resolve(rootDir, entry)).href)) as Record<string, unknown>;
  } catch (err) {
    throw new HandlerLoadError(`Could not load function "${name}" from ${entry}: ${(err as Error).message}`, { cause: err });
  }
  if (typeof mod.handler !== 'function') {
    throw new HandlerLoadError(`Function "${name}": ${entry} does not export a \`handler\` function`);
  }
  return mod.handler as LambdaHandler;
}

/** Invocations per function in this process (what Lambda would bill); read by `npm run bench`. */
export const invocations: Record<string, { count: number; totalMs: number; memoryMb: number }> = {};

/** A function of the topology, ready to be invoked in this process. */
export interface LocalFunction {
  readonly name: string;
  readonly spec: FunctionSpec;
  invoke: Invoke;
}

/**
 * Wraps a function spec so that its module is imported on the first invocation,
 * not at start: the local stack starts faster, and one broken or missing handler
 * fails only its own requests (with a clear error) instead of the whole stack.
 * `load` replaces the import, for tests.
 */
export function localFunction(
  name: string,
  spec: FunctionSpec,
  opts: { rootDir?: string; load?: () => Promise<LambdaHandler> } = {},
): LocalFunction {
  let loading: Promise<LambdaHandler> | undefined;
  const load = opts.load ?? (() => importHandler(name, spec.entry, opts.rootDir));
  const getHandler = () => {
    loading ??= load().catch((err: unknown) => {
      loading = undefined; // retry the import next time: the file may have been fixed
      throw err;
    });
    return loading;
  };
  return {
    name,
    spec,
    invoke: async (event) => {
      const handler = await getHandler();
      const context = lambdaContext(name, spec);
      const started = performance.now();
      try {
        return await withTimeout(
          Promise.resolve().then(() => handler(event as never, context)),
          spec.timeoutSeconds * 1000,
          () => new LambdaTimeoutError(`Function "${name}": task timed out after ${spec.timeoutSeconds.toFixed(2)} seconds`),
        );
      } finally {
        const stat = (invocations[name] ??= { count: 0, totalMs: 0, memoryMb: spec.memoryMb });
        stat.count += 1;
        stat.totalMs += performance.now() - started;
      }
    },
  };
}

/**
 * Rejects when `ms` elapse first. The handler's promise cannot be cancelled, so
 * its work may go on in the background, unlike in Lambda where the sandbox is frozen.
 */
async function withTimeout<T>(work: Promise<T>, ms: number, error: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(error()), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
