/**
 * Where retrained models live once promoted (the models bucket): each version under
 * `models/<name>/<version>.json`, and `models/<name>/current.json`, the pointer the
 * classify function reads at cold start. The retrain job's decisions are kept too.
 */

/** Accuracy figures of one pair of models on the retrain job's validation rows (joint decoding). */
export interface PairScore {
  /** Validation rows (shipped sample + held-out corrections). */
  rows: number;
  /** Rows whose category was right. */
  categoryCorrect: number;
  categoryAccuracy: number;
  /** Rows that carry an intent, and those whose intent was right. */
  intentRows: number;
  intentCorrect: number;
  intentAccuracy: number;
  /** Held-out corrections, and those whose category was right: what the agents taught. */
  correctionRows: number;
  correctionsCorrect: number;
  correctionAccuracy: number | null;
  /** Rows under the reject threshold (would go to human triage). */
  rejected: number;
}

/** The `current.json` pointer of one model: which version is promoted and why. */
export interface PromotionRecord {
  name: string;
  version: string;
  /** Object key of the artifact (set by the store). */
  key: string;
  trainedAt: string;
  promotedAt: string;
  /** The candidate's and the replaced model's score on the same validation rows. */
  metrics: { candidate: PairScore; previous: PairScore; previousSource: 'promoted' | 'shipped' };
  examples: { shipped: number; corrections: number; trainedOn: number; validation: number; correctionsInValidation: number };
  /** `correctedAt` of the newest correction the run read (the next run retrains only past it). */
  correctionsThrough: string | null;
  /** SHA-256 of the shipped training rows the model was fitted on. */
  shippedSha256: string;
}

/** What one run of the retrain job decided, kept whatever the outcome. */
export interface RetrainDecision {
  runAt: string;
  outcome: 'promoted' | 'kept' | 'skipped';
  reason: string;
  version?: string;
  corrections: number;
  correctionsThrough: string | null;
  shippedSha256: string;
  candidate?: PairScore;
  current?: PairScore;
  currentSource?: 'promoted' | 'shipped';
  /** On a skip: the run that kept the current models with these same inputs. */
  keptSince?: string;
}

export interface ModelStore {
  /** The promoted artifact's JSON, or undefined when none was ever promoted. */
  getPromoted(name: string): Promise<unknown | undefined>;
  /** The promoted model's pointer record, or undefined. */
  getRecord(name: string): Promise<PromotionRecord | undefined>;
  /** Writes the artifact under its version, then moves the `current.json` pointer to it. */
  promote(name: string, artifact: unknown, record: Omit<PromotionRecord, 'key'>): Promise<void>;
  /** The latest decision, or undefined before the first run. */
  lastDecision(): Promise<RetrainDecision | undefined>;
  /** Keeps a decision (history and latest). */
  recordDecision(decision: RetrainDecision): Promise<void>;
}
