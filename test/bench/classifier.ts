/**
 * Classifier figures on the provided data (never the held-back test splits):
 * - BANKING77: stratified 5-fold CV accuracy, default recipe and with the softmax ensemble;
 *   train time of the full model as `switchboard train` makes it (hold-out calibration +
 *   refit); predict time per message;
 *   artifact size; share of CLINC150's out-of-scope val rows the banking model rejects.
 * - CLINC150: trained on train.csv with the threshold from a stratified 10% of train
 *   (no peeking at val), scored on val.csv: in-scope accuracy and out-of-scope recall.
 * - Bitext: 5-fold CV accuracy of the category and intent models (what ships).
 * Run: node --import tsx test/bench/run-one.ts classifier
 */
import { readFileSync } from 'node:fs';
import { parseCsv } from '../../shared/lib/csv';
import { evaluate, loadModel, trainModel, type Example, type TrainOptions } from '../../shared/classify/text-model';
import { datasetPath } from '../fixtures/datasets';
import { folds, load } from './folds';

function crossValidate(examples: readonly Example[], k: number, options: TrainOptions = {}): { accuracy: number; folds: number[] } {
  const fold = folds(examples, k, 42);
  const accs: number[] = [];
  for (let f = 0; f < k; f++) {
    const train = examples.filter((_, i) => fold[i] !== f);
    const test = examples.filter((_, i) => fold[i] === f);
    accs.push(trainModel(train, { ...options, validation: test, trainedAt: new Date(0) }).metrics!.accuracy);
  }
  return { accuracy: round(accs.reduce((a, b) => a + b, 0) / k), folds: accs };
}

const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;
const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(2)} %`);
const mb = (a: unknown) => round(JSON.stringify(a).length / 1024 / 1024, 2);

export async function bench(log: (line: string) => void): Promise<Record<string, unknown>> {
  const banking = load('banking77', 'train.csv', 'text', 'category');
  const clincTrain = load('clinc150', 'train.csv', 'text', 'intent');
  const clincVal = load('clinc150', 'val.csv', 'text', 'intent');
  const bitext = parseCsv(readFileSync(datasetPath('bitext_customer_support', 'train.csv'), 'utf8'));

  log('BANKING77: full model (as `switchboard train` makes it)...');
  let t0 = performance.now();
  const bankingModel = trainModel(banking);
  const trainSeconds = round((performance.now() - t0) / 1000, 1);
  const model = loadModel(bankingModel);
  const texts = banking.map((e) => e.text);
  for (const t of texts.slice(0, 500)) model.predict(t); // warm up
  t0 = performance.now();
  for (const t of texts) model.predict(t);
  const predictMs = round((performance.now() - t0) / texts.length, 4);
  const oosVal = clincVal.filter((e) => e.label === 'oos');
  const bankingRejectsOos = round(oosVal.filter((e) => model.predict(e.text).outOfScope).length / oosVal.length);
  const bankingRejectsOwn = bankingModel.metrics!.rejectRate;

  log('BANKING77: stratified 5-fold CV...');
  const cv = crossValidate(banking, 5);
  log('BANKING77: stratified 5-fold CV with the softmax ensemble (`--ensemble`)...');
  const cvEnsemble = crossValidate(banking, 5, { ensemble: {} });

  log('CLINC150: train.csv, threshold from a 10% hold-out of train, scored on val.csv...');
  t0 = performance.now();
  const clinc = trainModel(clincTrain);
  const clincSeconds = round((performance.now() - t0) / 1000, 1);
  const clincVal_ = evaluate(clinc, clincVal, 'clinc150/val.csv');

  log('Bitext: 5-fold CV of the category and intent models...');
  const category = crossValidate(bitext.map((r) => ({ text: r.instruction ?? '', label: r.category ?? '' })), 5);
  const intent = crossValidate(bitext.map((r) => ({ text: r.instruction ?? '', label: r.intent ?? '' })), 5);
  const shipped = {
    category: mb(JSON.parse(readFileSync(new URL('../../shared/classify/models/support-category.json', import.meta.url), 'utf8'))),
    intent: mb(JSON.parse(readFileSync(new URL('../../shared/classify/models/support-intent.json', import.meta.url), 'utf8'))),
  };

  const figures = {
    banking77: {
      trainer: bankingModel.trainer,
      cvAccuracy: cv.accuracy,
      cvFolds: cv.folds,
      cvAccuracyEnsemble: cvEnsemble.accuracy,
      cvFoldsEnsemble: cvEnsemble.folds,
      trainSeconds,
      predictMsPerMessage: predictMs,
      artifactMB: mb(bankingModel),
      features: bankingModel.vocabulary.length,
      holdoutAccuracy: bankingModel.metrics!.accuracy,
      holdoutRejectRate: bankingRejectsOwn,
      rejectsClincOosVal: bankingRejectsOos,
    },
    clinc150: {
      trainSeconds: clincSeconds,
      artifactMB: mb(clinc),
      threshold: clinc.threshold,
      valInScopeAccuracy: clincVal_.inScopeAccuracy,
      valOutOfScopeRecall: clincVal_.outOfScopeRecall,
      valTopLabelAccuracy: clincVal_.accuracy,
    },
    bitext: { categoryCvAccuracy: category.accuracy, intentCvAccuracy: intent.accuracy, shippedMB: shipped },
  };
  log('');
  log('classifier                         figure');
  log(`BANKING77 5-fold CV accuracy       ${pct(cv.accuracy)}  (folds ${cv.folds.map((a) => pct(a)).join(', ')}; ${bankingModel.trainer.algorithm})`);
  log(`  … with --ensemble                ${pct(cvEnsemble.accuracy)}  (folds ${cvEnsemble.folds.map((a) => pct(a)).join(', ')})`);
  log(`BANKING77 train time (full)        ${trainSeconds} s  (hold-out fit + refit)`);
  log(`BANKING77 predict time             ${predictMs} ms/message (one core)`);
  log(`BANKING77 artifact                 ${figures.banking77.artifactMB} MB, ${figures.banking77.features} features`);
  log(`BANKING77 model rejects CLINC oos  ${pct(bankingRejectsOos)} of ${oosVal.length} val rows (own hold-out: ${pct(bankingRejectsOwn)} rejected)`);
  log(`CLINC150 val in-scope accuracy     ${pct(clincVal_.inScopeAccuracy)}  (threshold ${clinc.threshold} from a train hold-out)`);
  log(`CLINC150 val out-of-scope recall   ${pct(clincVal_.outOfScopeRecall)}`);
  log(`CLINC150 train time / artifact     ${clincSeconds} s / ${figures.clinc150.artifactMB} MB`);
  log(`Bitext category 5-fold CV          ${pct(category.accuracy)}`);
  log(`Bitext intent 5-fold CV            ${pct(intent.accuracy)}`);
  log(`Shipped artifacts                  category ${shipped.category} MB, intent ${shipped.intent} MB`);
  return figures;
}
