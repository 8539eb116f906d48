import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { functionList, type FunctionName } from '../../infra/topology';

/**
 * The same bundle shape the CDK construct produces: one minified ESM file per
 * function, AWS SDK left to the runtime (`externalSdk`) or bundled in.
 */
export async function bundle(entry: string, outfile: string, externalSdk = true): Promise<number> {
  await build({
    entryPoints: [resolve(entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: true,
    sourcemap: false,
    logLevel: 'silent',
    external: externalSdk ? ['@aws-sdk/*'] : [],
    banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
  });
  return statSync(outfile).size;
}

const HELLO_WORLD = `
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const sqs = new SQSClient({});
export const handler = async () => ({ ok: Boolean(doc && sqs) });
`;

/**
 * Fresh `node` process: import the bundle and invoke the handler once; reports
 * milliseconds since process start, so Node's own boot is included for both.
 */
async function coldStartMs(bundlePath: string, event: unknown, env: Record<string, string>): Promise<number> {
  const script = `
    const t0 = performance.now();
    const mod = await import(${JSON.stringify(bundlePath)});
    const ctx = { functionName: 'bench', awsRequestId: 'bench', getRemainingTimeInMillis: () => 30000 };
    try { await mod.handler(${JSON.stringify(event)}, ctx); } catch (e) { /* errors are part of a cold run too */ }
    process.stdout.write(JSON.stringify({ importAndInvoke: performance.now() - t0, sinceStart: performance.now() }) + String.fromCharCode(10), () => process.exit(0));
  `;
  // Asynchronous on purpose: fauxqs runs in this process and must keep answering the child.
  const out = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  }).catch((err: { stdout?: string; stderr?: string; code?: number; signal?: string }) => ({
    stdout: err.stdout ?? '',
    stderr: `${err.stderr ?? ''} (exit ${err.code}, signal ${err.signal})`,
  }));
  const last = out.stdout.trim().split('\n').at(-1) ?? '';
  const parsed = (last.startsWith('{') ? JSON.parse(last) : {}) as { sinceStart?: number };
  if (parsed.sinceStart === undefined) {
    throw new Error(`cold start of ${bundlePath} failed: ${out.stderr.slice(-2000)}`);
  }
  return parsed.sinceStart;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export interface BundleFigures {
  function: string;
  /** As deployed: AWS SDK provided by the Lambda runtime. */
  bytes: number;
  bytesWithSdk: number;
  coldInitMs: number;
  coldInitMsWithSdk: number;
  ratioToHelloWorld: number;
}

/** Bundles every function and a hello-world with the same SDK clients, and times cold starts, in both SDK variants. */
export async function measureBundles(opts: {
  dir: string;
  env: Record<string, string>;
  events: Partial<Record<FunctionName, unknown>>;
  runs: number;
}): Promise<{ helloWorld: { bytes: number; coldInitMs: number; bytesWithSdk: number; coldInitMsWithSdk: number }; functions: BundleFigures[] }> {
  mkdirSync(opts.dir, { recursive: true });
  const helloEntry = join(opts.dir, 'hello-world.ts');
  writeFileSync(helloEntry, HELLO_WORLD);
  const cold = async (file: string, event: unknown) => {
    const runs: number[] = [];
    for (let i = 0; i < opts.runs; i++) runs.push(await coldStartMs(file, event, opts.env));
    return median(runs);
  };
  const measure = async (name: string, entry: string, event: unknown) => {
    const ext = join(opts.dir, `${name}.mjs`);
    const full = join(opts.dir, `${name}.sdk.mjs`);
    const bytes = await bundle(entry, ext, true);
    const bytesWithSdk = await bundle(entry, full, false);
    return { bytes, bytesWithSdk, coldInitMs: await cold(ext, event), coldInitMsWithSdk: await cold(full, event) };
  };
  const helloWorld = await measure('hello-world', helloEntry, {});
  const functions: BundleFigures[] = [];
  for (const [name, spec] of functionList()) {
    const m = await measure(name, spec.entry, opts.events[name] ?? {});
    functions.push({ function: name, ...m, ratioToHelloWorld: m.coldInitMs / helloWorld.coldInitMs });
  }
  return { helloWorld, functions };
}
