/**
 * The shipped training rows of the support models (Bitext instruction, intent, category),
 * bundled as compact JSON (`models/support-training.json`, written by
 * `infra/train-default-model.ts`) so the retrain job can refit without the dataset folder.
 * Labels are stored once and rows refer to them by index.
 */

export const TRAINING_DATA_FORMAT = 'switchboard-training-data';

/** One labelled support message. */
export interface TrainingRow {
  text: string;
  category: string;
  /** Absent for a correction that set only the category. */
  intent?: string;
}

export interface TrainingDataFile {
  format: typeof TRAINING_DATA_FORMAT;
  version: 1;
  /** Where the rows came from and the SHA-256 of that file. */
  source: string;
  sha256: string;
  intents: string[];
  categories: string[];
  /** `[text, intent index, category index]` per row, in file order. */
  rows: Array<[string, number, number]>;
}

/** Packs rows (each with an intent) into the compact file form. */
export function encodeTrainingData(rows: readonly Required<TrainingRow>[], provenance: { source: string; sha256: string }): TrainingDataFile {
  const intents = [...new Set(rows.map((r) => r.intent))].sort();
  const categories = [...new Set(rows.map((r) => r.category))].sort();
  const ii = new Map(intents.map((l, i) => [l, i]));
  const ci = new Map(categories.map((l, i) => [l, i]));
  return {
    format: TRAINING_DATA_FORMAT,
    version: 1,
    ...provenance,
    intents,
    categories,
    rows: rows.map((r) => [r.text, ii.get(r.intent)!, ci.get(r.category)!]),
  };
}

/**
 * Unpacks the file form back into rows.
 *
 * @throws Error when the JSON is not a training-data file or an index is out of range.
 */
export function decodeTrainingData(json: unknown): { rows: Array<Required<TrainingRow>>; sha256: string } {
  const f = json as Partial<TrainingDataFile> | null;
  if (!f || f.format !== TRAINING_DATA_FORMAT || f.version !== 1 || !Array.isArray(f.rows) || !Array.isArray(f.intents) || !Array.isArray(f.categories)) {
    throw new Error(`not a ${TRAINING_DATA_FORMAT} v1 file`);
  }
  const { intents, categories } = f;
  const rows = f.rows.map(([text, i, c], n) => {
    const intent = intents[i];
    const category = categories[c];
    if (typeof text !== 'string' || intent === undefined || category === undefined) throw new Error(`training row ${n} is malformed`);
    return { text, intent, category };
  });
  return { rows, sha256: String(f.sha256 ?? '') };
}
