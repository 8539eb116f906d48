/**
 * Trains the built-in sentiment model and writes its artifact:
 *
 *   node --import tsx scripts/train-sentiment-model.ts [--input TRAIN.csv] [--anchors BITEXT.csv] [--out MODEL.json]
 *
 * Defaults: ../shared/datasets/uci_sentiment_sentences/train.csv (beside the checkout),
 * neutral anchors from ../shared/datasets/bitext_customer_support/train.csv (--anchors) and
 * shared/classify/models/sentiment-en.json. Runs the recipe's stratified CV first (the
 * figures go into the artifact), then trains on all rows. Deterministic: same data, same file.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { crossValidate, type CvExample } from '../shared/classify/sentiment-model/cross-validation';
import { trainSentimentModel } from '../shared/classify/sentiment-model/model';
import { CV_FOLDS, CV_SEED, NEUTRAL_ANCHORS, SENTIMENT_RECIPE, neutralAnchors } from '../shared/classify/sentiment-model/recipe';
import {
  NEUTRAL_BAND,
  NO_EVIDENCE_BAND,
  labelFromProbability,
  type BandFigures,
  type SentimentArtifact,
} from '../shared/classify/sentiment-model/artifact';
import { scoreLexicon } from '../shared/classify/sentiment';
import { parseCsv, requireColumns } from '../shared/lib/csv';
import { parseOptions } from '../cli/usage';

const ROOT = resolve(import.meta.dirname, '..');
const DEFAULT_INPUT = resolve(ROOT, '../shared/datasets/uci_sentiment_sentences/train.csv');
const DEFAULT_ANCHORS = resolve(ROOT, '../shared/datasets/bitext_customer_support/train.csv');
const DEFAULT_OUT = resolve(ROOT, 'shared/classify/models/sentiment-en.json');

const r4 = (n: number) => Math.round(n * 1e4) / 1e4;

/** Reads the neutral anchors (bitext rows with instruction, category). */
export function loadAnchors(path: string) {
  const raw = readFileSync(path);
  const records = parseCsv(raw.toString('utf8'), path);
  requireColumns(records, ['instruction', 'category'], path);
  return { anchors: neutralAnchors(records, NEUTRAL_ANCHORS), sha256: createHash('sha256').update(raw).digest('hex') };
}

/** Reads text,label(1/0)[,source] rows; source is the CV stratum when present. */
export function loadSentimentCsv(path: string): { rows: CvExample[]; sha256: string } {
  const raw = readFileSync(path);
  const records = parseCsv(raw.toString('utf8'), path);
  requireColumns(records, ['text', 'label'], path);
  const rows = records.map((r, i) => {
    if (r.label !== '0' && r.label !== '1') throw new Error(`${path} row ${i + 2}: label must be 0 or 1, got "${r.label}"`);
    return { text: r.text ?? '', positive: r.label === '1', group: r.source || 'all' };
  });
  return { rows, sha256: createHash('sha256').update(raw).digest('hex') };
}

/** How the neutral rule labels the out-of-fold predictions. */
function bandFigures(rows: CvExample[], probabilities: number[]): BandFigures {
  let neutral = 0;
  let right = 0;
  let noEvidence = 0;
  let noEvidenceNeutral = 0;
  rows.forEach((r, i) => {
    const p = probabilities[i] ?? 0.5;
    const lex = scoreLexicon(r.text);
    const words = lex.positiveWords + lex.negativeWords;
    const label = labelFromProbability(p, words);
    if (words === 0) noEvidence++;
    if (label === 'neutral') {
      neutral++;
      if (words === 0) noEvidenceNeutral++;
    } else if ((label === 'positive') === r.positive) right++;
  });
  return {
    band: NEUTRAL_BAND,
    noEvidenceBand: NO_EVIDENCE_BAND,
    shareNeutral: r4(neutral / rows.length),
    accuracyOutsideBand: r4(right / Math.max(rows.length - neutral, 1)),
    shareNoEvidence: r4(noEvidence / rows.length),
    shareNoEvidenceNeutral: r4(noEvidenceNeutral / Math.max(noEvidence, 1)),
  };
}

async function main(args: string[]): Promise<number> {
  const values = parseOptions(args, { input: { type: 'string' }, anchors: { type: 'string' }, out: { type: 'string' } });
  const input = resolve(values.input ?? DEFAULT_INPUT);
  const anchorsPath = resolve(values.anchors ?? DEFAULT_ANCHORS);
  const out = resolve(values.out ?? DEFAULT_OUT);
  const { rows, sha256 } = loadSentimentCsv(input);
  console.log(`${rows.length} rows from ${input} (sha256 ${sha256.slice(0, 12)}…)`);
  const { anchors, sha256: anchorsSha } = loadAnchors(anchorsPath);
  console.log(`${anchors.length} neutral anchors from ${anchorsPath}`);

  const started = Date.now();
  const cv = crossValidate(rows, SENTIMENT_RECIPE, CV_FOLDS, CV_SEED, anchors);
  console.log(`${CV_FOLDS}-fold CV accuracy ${cv.mean} ± ${cv.sd} (folds ${cv.folds.join(', ')}; ${JSON.stringify(cv.byGroup)})`);
  const band = bandFigures(rows, cv.probabilities);
  console.log(`neutral rule (band ${NEUTRAL_BAND}, ${NO_EVIDENCE_BAND} without lexicon words): ${JSON.stringify(band)}`);

  const model = trainSentimentModel([...rows, ...anchors], SENTIMENT_RECIPE);
  const artifact: SentimentArtifact = {
    format: 'switchboard-sentiment/1',
    language: 'en',
    training: { file: basename(input), folder: basename(dirname(input)), sha256, rows: rows.length },
    anchors: { file: basename(anchorsPath), folder: basename(dirname(anchorsPath)), sha256: anchorsSha, rows: anchors.length },
    metrics: {
      cv: { k: cv.k, seed: cv.seed, folds: cv.folds, mean: cv.mean, sd: cv.sd, byGroup: cv.byGroup },
      neutralBand: band,
    },
    neutralBand: NEUTRAL_BAND,
    model,
  };
  writeFileSync(out, `${JSON.stringify(artifact)}\n`);
  console.log(`wrote ${out} (${(JSON.stringify(artifact).length / 1024).toFixed(0)} KB) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  process.exitCode = await main(process.argv.slice(2));
}
