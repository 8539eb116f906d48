import { mean, sampleStandardDeviation } from 'simple-statistics';
import { seededRandom, shuffle } from '../../lib/random';
import { loadSentimentModel, trainSentimentModel, type LabelledText, type SentimentModelSettings } from './model';

/**
 * Stratified, seeded k-fold cross-validation of the sentiment recipe: the only way we
 * tune or report it (the test split is held back).
 */

/**
 * Assigns each item a fold 0..k-1 so every stratum (e.g. "amazon/1") is spread evenly.
 *
 * @param strata - one stratum key per item.
 * @returns fold number per item, deterministic for the same keys, k and seed.
 */
export function stratifiedFolds(strata: string[], k: number, seed: number): number[] {
  const random = seededRandom(seed);
  const byStratum = new Map<string, number[]>();
  strata.forEach((s, i) => byStratum.set(s, [...(byStratum.get(s) ?? []), i]));
  const folds = new Array<number>(strata.length).fill(0);
  // Continue the round-robin across strata so small strata do not all start at fold 0.
  let next = 0;
  for (const key of [...byStratum.keys()].sort()) {
    for (const i of shuffle(byStratum.get(key) ?? [], random)) folds[i] = next++ % k;
  }
  return folds;
}

export interface CvExample extends LabelledText {
  /** Stratum and reporting group, e.g. the review source. */
  group: string;
}

export interface CvResult {
  k: number;
  seed: number;
  /** Binary accuracy per fold (probability >= 0.5 is positive). */
  folds: number[];
  mean: number;
  sd: number;
  /** Accuracy per group over all out-of-fold predictions. */
  byGroup: Record<string, number>;
  /** Out-of-fold probability per example, in input order. */
  probabilities: number[];
}

const r4 = (n: number) => Math.round(n * 1e4) / 1e4;

/**
 * Runs k-fold CV: train on k-1 folds, score the held fold, for each fold.
 *
 * @param data - labelled examples with a group (stratified on group × label).
 * @param anchors - neutral anchors added to every training fold, never scored.
 * @returns per-fold accuracy, mean ± sample sd, per-group accuracy and out-of-fold probabilities.
 */
export function crossValidate(
  data: CvExample[],
  settings: SentimentModelSettings,
  k = 5,
  seed = 1,
  anchors: LabelledText[] = [],
): CvResult {
  const folds = stratifiedFolds(data.map((d) => `${d.group}/${d.positive ? 1 : 0}`), k, seed);
  const probabilities = new Array<number>(data.length).fill(0.5);
  const accuracies: number[] = [];
  for (let f = 0; f < k; f++) {
    // Neutral anchors join every training fold; only the labelled data is scored.
    const train = [...data.filter((_, i) => folds[i] !== f), ...anchors];
    const predictor = loadSentimentModel(trainSentimentModel(train, settings));
    let right = 0;
    let total = 0;
    data.forEach((d, i) => {
      if (folds[i] !== f) return;
      const p = predictor.probability(d.text);
      probabilities[i] = p;
      total++;
      if (p >= 0.5 === d.positive) right++;
    });
    accuracies.push(right / total);
  }
  const groups = new Map<string, [number, number]>();
  data.forEach((d, i) => {
    const g = groups.get(d.group) ?? [0, 0];
    g[0] += (probabilities[i] ?? 0.5) >= 0.5 === d.positive ? 1 : 0;
    g[1]++;
    groups.set(d.group, g);
  });
  return {
    k,
    seed,
    folds: accuracies.map(r4),
    mean: r4(mean(accuracies)),
    sd: r4(accuracies.length > 1 ? sampleStandardDeviation(accuracies) : 0),
    byGroup: Object.fromEntries([...groups].map(([g, [right, n]]) => [g, r4(right / n)])),
    probabilities,
  };
}
