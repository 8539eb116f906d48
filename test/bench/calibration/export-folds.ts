// Exports the exact fold assignment of test/bench/classifier.ts `folds(examples, 5, 42)`.
// Run: node --import tsx test/bench/calibration/export-folds.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { csvLine } from '../../../shared/lib/csv';
import { folds, load } from '../folds';

// Same as bench `load('banking77', 'train.csv', 'text', 'category')`.
const examples = load('banking77', 'train.csv', 'text', 'category');


const fold = folds(examples, 5, 42);
const lines = [csvLine(['row', 'fold', 'text', 'label']), ...examples.map((e, i) => csvLine([i, fold[i], e.text, e.label]))];
mkdirSync('bench-results/calibration', { recursive: true });
writeFileSync('bench-results/calibration/folds.csv', lines.join('\n') + '\n');
const counts = [0, 1, 2, 3, 4].map((f) => fold.filter((x) => x === f).length);
console.log(`rows=${examples.length} fold sizes=${counts.join(',')}`);
