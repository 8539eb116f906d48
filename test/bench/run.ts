/**
 * `npm run bench [-- --only pipeline,classifier,... --messages N --concurrency C --cold-runs R]`
 * (pipeline also: `--rate N --seconds S` for the open-loop rate mode instead of the burst,
 * `--idle K` idle-latency trials (default 5, 0 for none), `--latency-only` (no storage ceiling, cost,
 * bundles), `--pollers N` poll loops per queue):
 * runs the benches and prints their tables; writes all figures to
 * bench-results/bench-<time>.json. Not part of `npm test`: performance is measured
 * and reported, never asserted. Sections:
 * - pipeline: the local stack driven over HTTP (throughput, latency, cost, bundles);
 * - counter-items: counter write units per message as an hour fills, on DynamoDB Local;
 * - classifier, sentiment, forecast, customers, customer-tier, needs, knowledge: the models on the
 *   datasets in ../shared/datasets (accuracy against baselines, train and predict time).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchStack } from './stack-bench';

const MODEL_BENCHES = ['classifier', 'sentiment', 'forecast', 'customers', 'customer-tier', 'needs', 'knowledge', 'counter-items'] as const;
const SECTIONS = ['pipeline', ...MODEL_BENCHES] as const;

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    messages: { type: 'string', default: '5000' },
    concurrency: { type: 'string', default: '16' },
    'cold-runs': { type: 'string', default: '5' },
    rate: { type: 'string' },
    seconds: { type: 'string', default: '60' },
    idle: { type: 'string', default: '5' },
    'latency-only': { type: 'boolean', default: false },
    pollers: { type: 'string' },
  },
});
const only = values.only ? values.only.split(',').map((s) => s.trim()) : [...SECTIONS];
const unknown = only.filter((s) => !(SECTIONS as readonly string[]).includes(s));
for (const [name, v] of [['rate', values.rate], ['seconds', values.seconds], ['idle', values.idle], ['pollers', values.pollers]] as const) {
  if (v !== undefined && !(Number(v) >= (name === 'idle' ? 0 : 0.001) && Number.isFinite(Number(v)))) {
    console.error(`--${name} must be a ${name === 'idle' ? 'non-negative' : 'positive'} number, not "${v}"`);
    process.exit(2);
  }
}
if (unknown.length) {
  console.error(`Unknown bench section(s): ${unknown.join(', ')}. Sections: ${SECTIONS.join(', ')}`);
  process.exit(2);
}

const at = new Date().toISOString();
const results: Record<string, unknown> = { at, machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version } };
for (const section of only) {
  console.log(`\n=== ${section} ===`);
  const t0 = performance.now();
  if (section === 'pipeline') {
    results.pipeline = await benchStack({
      messages: Number(values.messages),
      concurrency: Number(values.concurrency),
      coldRuns: Number(values['cold-runs']),
      ...(values.rate ? { rate: Number(values.rate), seconds: Number(values.seconds) } : {}),
      idle: Number(values.idle),
      latencyOnly: values['latency-only'],
      ...(values.pollers ? { pollers: Number(values.pollers) } : {}),
    });
  } else {
    const mod = (await import(`./${section}.ts`)) as { bench: (log: (line: string) => void) => Promise<Record<string, unknown>> };
    results[section] = await mod.bench((line) => console.log(line));
  }
  console.log(`(${section}: ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}
mkdirSync('bench-results', { recursive: true });
const out = join('bench-results', `bench-${at.replace(/[:.]/g, '-')}.json`);
writeFileSync(out, JSON.stringify(results, null, 2));
console.log(`\nwritten to ${out}`);
