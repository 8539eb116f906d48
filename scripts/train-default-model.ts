/**
 * `node --import tsx scripts/train-default-model.ts`: trains the shipped support models from
 * `../shared/datasets/bitext_customer_support/train.csv` (instruction → category, 11
 * labels; instruction → intent, 27 labels) into shared/classify/models/. No validation
 * file exists, so each model holds out a stratified 10% for its temperature, threshold and
 * metrics, then is refit on all rows.
 *
 * It also writes `support-training.json`: the rows themselves (instruction, intent,
 * category; compact), which the retrain job refits from in the Lambda. `--data-only`
 * writes just that file and leaves the two models as they are.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseCsv, requireColumns } from '../shared/lib/csv';
import { trainModel } from '../shared/classify/text-model';
import { encodeTrainingData } from '../shared/classify/training-data';
import { formatMetrics } from '../cli/train';

const root = resolve(import.meta.dirname, '..');
const input = resolve(root, '../shared/datasets/bitext_customer_support/train.csv');
const bytes = readFileSync(input);
const sha256 = createHash('sha256').update(bytes).digest('hex');
const rows = parseCsv(bytes.toString('utf8'), input);
requireColumns(rows, ['instruction', 'intent', 'category'], input);

const training = encodeTrainingData(
  rows.map((r) => ({ text: r.instruction ?? '', intent: r.intent ?? '', category: r.category ?? '' })),
  { source: 'bitext_customer_support/train.csv', sha256 },
);
const trainingJson = JSON.stringify(training);
writeFileSync(resolve(root, 'shared/classify/models/support-training.json'), `${trainingJson}\n`);
console.log(`support-training.json: ${training.rows.length} rows, ${(trainingJson.length / 1024).toFixed(0)} KB`);
if (process.argv.includes('--data-only')) process.exit(0);

for (const [column, file] of [['category', 'support-category.json'], ['intent', 'support-intent.json']] as const) {
  const t0 = performance.now();
  const examples = rows.map((r) => ({ text: r.instruction ?? '', label: r[column] ?? '' }));
  const artifact = trainModel(examples, { dataSha256: sha256, onProgress: (m) => console.error(`  ${column}: ${m}`) });
  const out = resolve(root, 'shared/classify/models', file);
  const json = JSON.stringify(artifact);
  writeFileSync(out, `${json}\n`);
  console.log(`${file}: ${artifact.labels.length} labels, ${artifact.vocabulary.length} features, ${(json.length / 1024).toFixed(0)} KB, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  if (artifact.metrics) console.log(formatMetrics(artifact.metrics, artifact.threshold, artifact.temperature));
}
