import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { functionList, type FunctionName } from '../../infra/topology';

/** The same bundle shape the CDK construct produces: one minified ESM file per function. */
export async function bundle(entry: string, outfile: string): Promise<number> {
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
function coldStartMs(bundlePath: string, event: unknown, env: Record<string, string>): number {
  const script = `
    const t0 = performance.now();
    const mod = await import(${JSON.stringify(bundlePath)});
    const ctx = { functionName: 'bench', awsRequestId: 'bench', getRemainingTimeInMillis: () => 30000 };
    try { await mod.handler(${JSON.stringify(event)}, ctx); } catch (e) { /* errors are part of a cold run too */ }
    process.stdout.write(JSON.stringify({ importAndInvoke: performance.now() - t0, sinceStart: performance.now() }));
  `;
  const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const parsed = JSON.parse(out.stdout.trim().split('\n').at(-1) ?? '{}') as { sinceStart?: number };
  if (parsed.sinceStart === undefined) throw new Error(`cold start run failed: ${out.stderr}`);
  return parsed.sinceStart;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export interface BundleFigures {
  function: string;
  bytes: number;
  coldInitMs: number;
  ratioToHelloWorld: number;
}

/** Bundles every function and a hello-world with the same SDK clients, and times cold starts. */
export async function measureBundles(opts: {
  dir: string;
  env: Record<string, string>;
  events: Partial<Record<FunctionName, unknown>>;
  runs: number;
}): Promise<{ helloWorld: { bytes: number; coldInitMs: number }; functions: BundleFigures[] }> {
  mkdirSync(opts.dir, { recursive: true });
  const helloEntry = join(opts.dir, 'hello-world.ts');
  writeFileSync(helloEntry, HELLO_WORLD);
  const helloOut = join(opts.dir, 'hello-world.mjs');
  const helloBytes = await bundle(helloEntry, helloOut);
  const cold = (file: string, event: unknown) =>
    median(Array.from({ length: opts.runs }, () => coldStartMs(file, event, opts.env)));
  const helloMs = cold(helloOut, {});
  const functions: BundleFigures[] = [];
  for (const [name, spec] of functionList()) {
    const out = join(opts.dir, `${name}.mjs`);
    const bytes = await bundle(spec.entry, out);
    const ms = cold(out, opts.events[name] ?? {});
    functions.push({ function: name, bytes, coldInitMs: ms, ratioToHelloWorld: ms / helloMs });
  }
  return { helloWorld: { bytes: helloBytes, coldInitMs: helloMs }, functions };
}
