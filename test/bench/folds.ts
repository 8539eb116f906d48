import { readFileSync } from 'node:fs';
import type { Example } from '../../shared/classify/text-model';
import { parseCsv } from '../../shared/lib/csv';
import { seededRandom as prng, shuffle } from '../../shared/lib/random';
import { datasetPath } from '../fixtures/datasets';

/** A dataset's rows as labelled examples. */
export function load(dataset: string, file: string, text: string, label: string): Example[] {
  return parseCsv(readFileSync(datasetPath(dataset, file), 'utf8')).map((r) => ({ text: r[text] ?? '', label: r[label] ?? '' }));
}

/** Stratified k folds: each label's rows shuffled (seeded) and dealt round-robin (the classifier bench's and the calibration's). */
export function folds(examples: readonly Example[], k: number, seed: number): number[] {
  const fold = new Array<number>(examples.length);
  const byLabel = new Map<string, number[]>();
  examples.forEach((e, i) => byLabel.set(e.label, [...(byLabel.get(e.label) ?? []), i]));
  const random = prng(seed);
  let next = 0;
  for (const label of [...byLabel.keys()].sort()) for (const i of shuffle(byLabel.get(label)!, random)) fold[i] = next++ % k;
  return fold;
}
