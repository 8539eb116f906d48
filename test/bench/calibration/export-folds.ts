// Exports the exact fold assignment of test/bench/classifier.ts `folds(examples, 5, 42)`.
// Run: node --import tsx test/bench/calibration/export-folds.ts
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseCsv, csvLine } from '../../../shared/lib/csv';
import { seededRandom as prng, shuffle } from '../../../shared/lib/random';
import { datasetPath } from '../../fixtures/datasets';

type Example = { text: string; label: string };
// Same as bench `load('banking77', 'train.csv', 'text', 'category')`.
const examples: Example[] = parseCsv(readFileSync(datasetPath('banking77', 'train.csv'), 'utf8')).map((r) => ({ text: r['text'] ?? '', label: r['category'] ?? '' }));

// Verbatim copy of the (non-exported) bench function.
function folds(examples: readonly Example[], k: number, seed: number): number[] {
  const fold = new Array<number>(examples.length);
  const byLabel = new Map<string, number[]>();
  examples.forEach((e, i) => byLabel.set(e.label, [...(byLabel.get(e.label) ?? []), i]));
  const random = prng(seed);
  let next = 0;
  for (const label of [...byLabel.keys()].sort()) for (const i of shuffle(byLabel.get(label)!, random)) fold[i] = next++ % k;
  return fold;
}

const fold = folds(examples, 5, 42);
const lines = [csvLine(['row', 'fold', 'text', 'label']), ...examples.map((e, i) => csvLine([i, fold[i], e.text, e.label]))];
mkdirSync('bench-results/calibration', { recursive: true });
writeFileSync('bench-results/calibration/folds.csv', lines.join('\n') + '\n');
const counts = [0, 1, 2, 3, 4].map((f) => fold.filter((x) => x === f).length);
console.log(`rows=${examples.length} fold sizes=${counts.join(',')}`);
