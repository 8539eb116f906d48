import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mean, sampleStandardDeviation } from 'simple-statistics';
import { loadAnchors, loadSentimentCsv } from '../../scripts/train-sentiment-model';
import { analyzeSentiment } from '../../shared/classify/sentiment';
import { analyzeBuiltinSentiment } from '../../shared/classify/sentiment-engine';
import { crossValidate, stratifiedFolds, type CvExample } from '../../shared/classify/sentiment-model/cross-validation';
import { CV_FOLDS, CV_SEED, SENTIMENT_RECIPE } from '../../shared/classify/sentiment-model/recipe';
import { datasetPath } from '../fixtures/datasets';
import { bundle } from './bundles';

/**
 * Sentiment on uci_sentiment_sentences/train.csv, 5-fold stratified CV (seed 1): the
 * lexicon alone, the model without lexicon features, and the shipped combination; per
 * source; predict time per message; the classify bundle with the model inside.
 *
 *   node --import tsx test/bench/run-one.ts sentiment
 */

const r4 = (n: number) => Math.round(n * 1e4) / 1e4;

/** The lexicon has nothing to train: score it on the same folds (score 0 counts wrong). */
function lexiconCv(rows: CvExample[]) {
  const folds = stratifiedFolds(rows.map((d) => `${d.group}/${d.positive ? 1 : 0}`), CV_FOLDS, CV_SEED);
  const right = rows.map((r) => {
    const s = analyzeSentiment(r.text).score;
    return r.positive ? s > 0 : s < 0;
  });
  const perFold = Array.from({ length: CV_FOLDS }, (_, f) => {
    const inFold = right.filter((_, i) => folds[i] === f);
    return inFold.filter(Boolean).length / inFold.length;
  });
  const byGroup: Record<string, number> = {};
  for (const g of new Set(rows.map((r) => r.group))) {
    const idx = rows.map((r, i) => (r.group === g ? i : -1)).filter((i) => i >= 0);
    byGroup[g] = r4(idx.filter((i) => right[i]).length / idx.length);
  }
  return { mean: r4(mean(perFold)), sd: r4(sampleStandardDeviation(perFold)), byGroup };
}

function timePerMessage(texts: string[], fn: (t: string) => unknown, passes = 3): number {
  for (const t of texts.slice(0, 200)) fn(t); // warm-up
  const start = process.hrtime.bigint();
  for (let p = 0; p < passes; p++) for (const t of texts) fn(t);
  return Number(process.hrtime.bigint() - start) / 1e3 / (passes * texts.length);
}

export async function bench(log: (line: string) => void): Promise<Record<string, unknown>> {
  const { rows } = loadSentimentCsv(datasetPath('uci_sentiment_sentences', 'train.csv'));
  const { anchors } = loadAnchors(datasetPath('bitext_customer_support', 'train.csv'));
  const cv = (settings = SENTIMENT_RECIPE, withAnchors = true) => {
    const started = Date.now();
    const r = crossValidate(rows, settings, CV_FOLDS, CV_SEED, withAnchors ? anchors : []);
    return { mean: r.mean, sd: r.sd, byGroup: r.byGroup, trainSecondsPerFold: r4((Date.now() - started) / 1000 / CV_FOLDS) };
  };
  const variants = {
    lexicon: lexiconCv(rows),
    model: cv({ ...SENTIMENT_RECIPE, lexiconWeight: 0 }),
    combined: cv(),
    combinedNoAnchors: cv(SENTIMENT_RECIPE, false),
  };
  log(`sentiment, uci train, ${CV_FOLDS}-fold stratified CV (seed ${CV_SEED}), binary accuracy`);
  log('variant              mean ± sd         amazon  yelp');
  for (const [name, v] of Object.entries(variants)) {
    log(`${name.padEnd(20)} ${v.mean.toFixed(4)} ± ${v.sd.toFixed(4)}   ${(v.byGroup.amazon ?? 0).toFixed(4)}  ${(v.byGroup.yelp ?? 0).toFixed(4)}`);
  }
  const texts = rows.map((r) => r.text);
  const predictMicros = { lexicon: r4(timePerMessage(texts, analyzeSentiment)), builtin: r4(timePerMessage(texts, analyzeBuiltinSentiment)) };
  log(`predict time per message: lexicon ${predictMicros.lexicon} µs, built-in (lexicon + model) ${predictMicros.builtin} µs`);

  const dir = mkdtempSync(join(tmpdir(), 'sentiment-bench-'));
  let classifyBundleBytes: number | undefined;
  try {
    classifyBundleBytes = await bundle('functions/pipeline/classify.ts', join(dir, 'classify.mjs'));
    log(`classify bundle (minified, AWS SDK external): ${(classifyBundleBytes / 1024).toFixed(0)} KB`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { cv: variants, predictMicros, classifyBundleBytes };
}
