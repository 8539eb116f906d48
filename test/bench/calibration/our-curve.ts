// Learning curve of the `switchboard train` default (SVM + softmax blend) on BANKING77 train.csv
// under the bench's exact 5 folds (test/bench/classifier.ts `folds(examples, 5, 42)`).
// For each test fold f: train on all 4 other folds (80 %) and on 3-fold subsets (60 %), score fold f.
// Run:     node --import tsx test/bench/calibration/our-curve.ts [--subsets 2|4] > log 2>&1
// Summary: node --import tsx test/bench/calibration/our-curve.ts --summary
// Results are appended as JSON lines to bench-results/calibration/our-curve.jsonl; finished runs are skipped (resumable).
//
// Why trainModel(train, { ensemble: {}, validation: test }) equals the CLI: `switchboard train`
// without --validation calls trainModel(rows, { ensemble: {} }), whose final model is
// fit(all rows, same options) -- the same call as fit(train) here (the hold-out model is only
// used for temperature/threshold). Top-label accuracy is the argmax of the decision values, so
// the temperature/threshold (fitted here on the test fold, as the bench does) do not enter it.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { parseCsv } from '../../../shared/lib/csv';
import { folds, load } from '../folds';
import { trainModel } from '../../../shared/classify/text-model/index';

const OUT = 'bench-results/calibration/our-curve.jsonl';
const examples = load('banking77', 'train.csv', 'text', 'category');

const fold = folds(examples, 5, 42);

// Cross-check against the other session's export.
const exported = parseCsv(readFileSync('bench-results/calibration/folds.csv', 'utf8'));
if (exported.length !== examples.length || exported.some((r, i) => Number(r['fold']) !== fold[i] || r['text'] !== examples[i]!.text)) throw new Error('folds differ from bench-results/calibration/folds.csv');

interface Run { test: number; train: number[]; n: number; correct: number; total: number; accuracy: number; seconds: number }
const done = (): Run[] => (existsSync(OUT) ? readFileSync(OUT, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Run) : []);
const key = (test: number, train: readonly number[]) => `${test}:${train.join('')}`;
const others = (f: number) => [0, 1, 2, 3, 4].filter((g) => g !== f);

/** Planned runs in priority order: per fold, 80 % and two 60 % subsets (leaving out different folds), then the other two subsets. */
function plan(subsets: number): Array<{ test: number; train: number[] }> {
  const first: Array<{ test: number; train: number[] }> = [];
  const rest: Array<{ test: number; train: number[] }> = [];
  for (let f = 0; f < 5; f++) {
    const o = others(f);
    first.push({ test: f, train: o });
    // Subsets = the other folds minus one; rotate which are dropped first so every fold is dropped about equally.
    const drops = [0, 1, 2, 3].map((j) => o[(j * 2 + f) % 4]!).filter((v, i, a) => a.indexOf(v) === i);
    while (drops.length < 4) drops.push(o.find((g) => !drops.includes(g))!);
    drops.forEach((d, j) => (j < 2 ? first : rest).push({ test: f, train: o.filter((g) => g !== d) }));
  }
  return subsets >= 4 ? [...first, ...rest] : first;
}

/** Every 2-fold training set (40 %) per test fold: a third curve point to check the log-linear shape. */
function planTwo(): Array<{ test: number; train: number[] }> {
  const out: Array<{ test: number; train: number[] }> = [];
  for (let f = 0; f < 5; f++) {
    const o = others(f);
    for (let a = 0; a < 4; a++) for (let b = a + 1; b < 4; b++) out.push({ test: f, train: [o[a]!, o[b]!] });
  }
  return out;
}

function train(test: number, trainFolds: number[]): Run {
  const tr = examples.filter((_, i) => trainFolds.includes(fold[i]!));
  const te = examples.filter((_, i) => fold[i] === test);
  const t0 = performance.now();
  const m = trainModel(tr, { ensemble: {}, validation: te, trainedAt: new Date(0) }).metrics!;
  const correct = Math.round(m.accuracy * te.length);
  return { test, train: trainFolds, n: tr.length, correct, total: te.length, accuracy: correct / te.length, seconds: Math.round((performance.now() - t0) / 100) / 10 };
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: readonly number[]) => Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1));
const p = (x: number) => (100 * x).toFixed(2);

function summary(): void {
  const runs = done();
  const a4: number[] = [], a3: number[] = [], gains: number[] = [];
  for (let f = 0; f < 5; f++) {
    const full = runs.find((r) => r.test === f && r.train.length === 4);
    const subs = runs.filter((r) => r.test === f && r.train.length === 3);
    console.log(`test fold ${f}: 80 % ${full ? p(full.accuracy) : 'n/a'}; 60 % ${subs.map((r) => `[${r.train.join('')}] ${p(r.accuracy)}`).join(' / ') || 'n/a'}` +
      (full && subs.length ? `; gain ${(100 * (full.accuracy - mean(subs.map((r) => r.accuracy)))).toFixed(2)}` : ''));
    if (full) a4.push(full.accuracy);
    if (full && subs.length) {
      a3.push(mean(subs.map((r) => r.accuracy)));
      gains.push(full.accuracy - a3[a3.length - 1]!);
    }
  }
  if (!a4.length) return;
  console.log(`80 % mean over ${a4.length} folds: ${p(mean(a4))} %`);
  if (!gains.length) return;
  // Means over the folds that have both points (paired).
  const g = mean(gains), slope = g / Math.log(4 / 3), ext = slope * Math.log(5 / 4);
  const paired4 = mean(runs.filter((r) => r.train.length === 4 && a3.length && runs.some((s) => s.test === r.test && s.train.length === 3)).map((r) => r.accuracy));
  console.log(`60 % mean (fold means over ${a3.length} folds): ${p(mean(a3))} %; 80 % on the same folds ${p(paired4)} %`);
  console.log(`gain 60 -> 80 %: ${(100 * g).toFixed(2)} pts (per-fold sd ${gains.length > 1 ? (100 * sd(gains)).toFixed(2) : 'n/a'}, se ${gains.length > 1 ? ((100 * sd(gains)) / Math.sqrt(gains.length)).toFixed(2) : 'n/a'})`);
  console.log(`linear-in-ln(n) extrapolation 80 -> 100 %: +${(100 * ext).toFixed(2)} pts -> ${p(mean(a4) + ext)} % (slope ${(100 * slope).toFixed(2)} pts per ln n)`);
}

const args = process.argv.slice(2);
if (args.includes('--summary')) summary();
else {
  const subsets = Number(args[args.indexOf('--subsets') + 1] ?? 4) || 4;
  const have = new Set(done().map((r) => key(r.test, r.train)));
  for (const { test, train: tf } of args.includes('--two') ? planTwo() : plan(subsets)) {
    if (have.has(key(test, tf))) continue;
    const r = train(test, tf);
    appendFileSync(OUT, JSON.stringify(r) + '\n');
    console.log(`${new Date().toISOString().slice(11, 19)} test ${test} train [${tf.join(',')}] n=${r.n}: ${r.correct}/${r.total} = ${p(r.accuracy)} % (${r.seconds} s)`);
  }
  summary();
}
