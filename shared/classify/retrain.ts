/**
 * Learning from agents: refits the support models from the shipped rows plus agents'
 * corrections, scores the candidate and the current pair on the same validation rows,
 * and promotes the candidate only if it is not worse. Pure apart from the model store
 * it is given (no clock: `now` is passed in).
 *
 * Validation rows are (a) a seeded, stratified sample of the shipped rows — a regression
 * check: both pairs were fitted on them, since the shipped models were refit on all of
 * Bitext and a candidate denied them would be handicapped — and (b) the held-out share of
 * corrections, chosen by a seeded hash of the ticket id, so a correction stays on the same
 * side in every run and no model this job trains ever sees the held-out ones.
 */
import { createHash } from 'node:crypto';
import type { ModelStore, PairScore, PromotionRecord, RetrainDecision } from './model-store';
import type { LabelledExample, LabelStore } from './label-store';
import { decodeIntent, type SupportModels } from './intent';
import { MODEL_NAMES, readPromotedModels } from './promoted-models';
import { loadModel, stratifiedSplit, trainModel, type TrainOptions } from './text-model';
import type { TrainingRow } from './training-data';

export { MODEL_NAMES };

export interface RetrainOptions {
  now: Date;
  /** Share of each shipped intent sampled for validation (default 0.1). */
  shippedValidationFraction?: number;
  /** Share of corrections held out for validation, by ticket-id hash (default 0.25). */
  correctionValidationShare?: number;
  /** Seed of the split (default 7). */
  seed?: number;
  /** Trainer settings (tests use small features); calibration is the trainer's own hold-out. */
  train?: Pick<TrainOptions, 'features' | 'svm' | 'pruneLevel'>;
}

export interface RetrainInput {
  /** The rows the shipped models were trained from, with their SHA-256. */
  shipped: { rows: ReadonlyArray<Required<TrainingRow>>; sha256: string; models: SupportModels };
  /** Every correction in the crm table. */
  corrections: readonly LabelledExample[];
}

/** A validation or training row; `ticketId` marks a correction. */
export interface LabelledRow extends TrainingRow {
  ticketId?: string;
}

/** Every correction in the store, oldest first, page by page (one per corrected ticket). */
export async function allCorrections(store: LabelStore): Promise<LabelledExample[]> {
  const out: LabelledExample[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listLabelledExamples({ limit: 500, ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    cursor = page.next;
  } while (cursor);
  return out;
}

const normalise = (text: string) => text.trim().toLowerCase().replace(/\s+/g, ' ');

/** The latest correction of each distinct text (normalised), oldest first. */
export function latestCorrections(corrections: readonly LabelledExample[]): LabelledExample[] {
  const byText = new Map<string, LabelledExample>();
  for (const c of corrections) {
    const key = normalise(c.text);
    if (!key) continue;
    const seen = byText.get(key);
    if (!seen || seen.correctedAt <= c.correctedAt) byText.set(key, c);
  }
  return [...byText.values()].sort((a, b) => a.correctedAt.localeCompare(b.correctedAt));
}

/** True when this ticket's correction is held out for validation: a stable hash, not a draw. */
export function isHeldOut(ticketId: string, share: number, seed: number): boolean {
  const h = createHash('sha256').update(`${seed}:${ticketId}`).digest().readUInt32BE(0);
  return h / 2 ** 32 < share;
}

/**
 * Training and validation rows: corrections replace shipped rows of the same text and
 * count as one example each, like a shipped row.
 */
export function splitRows(
  shipped: ReadonlyArray<Required<TrainingRow>>,
  corrections: readonly LabelledExample[],
  opts: { shippedFraction: number; correctionShare: number; seed: number },
): { train: LabelledRow[]; validation: LabelledRow[]; correctionsInValidation: number } {
  const corrected = latestCorrections(corrections);
  const correctedTexts = new Set(corrected.map((c) => normalise(c.text)));
  const kept = shipped.filter((r) => !correctedTexts.has(normalise(r.text)));
  const { held } = stratifiedSplit(kept.map((r) => ({ ...r, label: r.intent })), opts.shippedFraction, opts.seed);
  const asRow = (c: LabelledExample): LabelledRow => ({ text: c.text, category: c.category, ...(c.intent ? { intent: c.intent } : {}), ticketId: c.ticketId });
  const heldOut = corrected.filter((c) => isHeldOut(c.ticketId, opts.correctionShare, opts.seed));
  const taught = corrected.filter((c) => !isHeldOut(c.ticketId, opts.correctionShare, opts.seed));
  return {
    train: [...kept, ...taught.map(asRow)],
    validation: [...held.map(({ label: _label, ...r }) => r), ...heldOut.map(asRow)],
    correctionsInValidation: heldOut.length,
  };
}

/** Scores a pair of models on labelled rows, decoded jointly as the classify function does. */
export function pairScore(models: SupportModels, rows: readonly LabelledRow[]): PairScore {
  let categoryCorrect = 0;
  let intentRows = 0;
  let intentCorrect = 0;
  let correctionRows = 0;
  let correctionsCorrect = 0;
  let rejected = 0;
  for (const row of rows) {
    const p = decodeIntent(models, row.text);
    const right = p.category === row.category;
    if (right) categoryCorrect++;
    if (p.outOfScope) rejected++;
    if (row.intent !== undefined) {
      intentRows++;
      if (p.intent === row.intent) intentCorrect++;
    }
    if (row.ticketId !== undefined) {
      correctionRows++;
      if (right) correctionsCorrect++;
    }
  }
  const share = (n: number, d: number) => (d === 0 ? 0 : n / d);
  return {
    rows: rows.length,
    categoryCorrect,
    categoryAccuracy: share(categoryCorrect, rows.length),
    intentRows,
    intentCorrect,
    intentAccuracy: share(intentCorrect, intentRows),
    correctionRows,
    correctionsCorrect,
    correctionAccuracy: correctionRows === 0 ? null : correctionsCorrect / correctionRows,
    rejected,
  };
}

/**
 * Not worse means: no fewer rows with the right category, the right intent, and no fewer
 * held-out corrections right. Counts on the same rows, so a tie is exact (no float noise).
 */
export function decide(candidate: PairScore, current: PairScore): { promote: boolean; reason: string } {
  const worse: string[] = [];
  if (candidate.categoryCorrect < current.categoryCorrect) worse.push(`category ${candidate.categoryCorrect} < ${current.categoryCorrect}`);
  if (candidate.intentCorrect < current.intentCorrect) worse.push(`intent ${candidate.intentCorrect} < ${current.intentCorrect}`);
  if (candidate.correctionsCorrect < current.correctionsCorrect) worse.push(`held-out corrections ${candidate.correctionsCorrect} < ${current.correctionsCorrect}`);
  if (worse.length) return { promote: false, reason: `candidate is worse on the validation rows: ${worse.join(', ')} (of ${candidate.rows})` };
  return {
    promote: true,
    reason: `candidate is not worse on ${candidate.rows} validation rows: category ${candidate.categoryCorrect} vs ${current.categoryCorrect}, intent ${candidate.intentCorrect} vs ${current.intentCorrect}, held-out corrections ${candidate.correctionsCorrect} vs ${current.correctionsCorrect} of ${candidate.correctionRows}`,
  };
}

/**
 * One run of the retrain job: skip when nothing changed, else train, score, and promote
 * or keep. The decision is recorded in the store whatever it is.
 *
 * @returns the decision (also stored).
 */
export async function runRetrain(store: ModelStore, input: RetrainInput, options: RetrainOptions): Promise<RetrainDecision> {
  const runAt = options.now.toISOString();
  const seed = options.seed ?? 7;
  const corrections = input.corrections.filter((c) => normalise(c.text) !== '');
  const through = corrections.reduce<string | null>((m, c) => (m === null || c.correctedAt > m ? c.correctedAt : m), null);
  const base = { runAt, corrections: corrections.length, correctionsThrough: through, shippedSha256: input.shipped.sha256 };
  const finish = async (d: RetrainDecision) => {
    await store.recordDecision(d);
    return d;
  };

  const promoted = await readPromotedModels(store);
  if (corrections.length === 0) return finish({ ...base, outcome: 'skipped', reason: 'no corrections yet: the shipped models stay' });
  const r = promoted?.record;
  if (r && r.shippedSha256 === input.shipped.sha256 && r.correctionsThrough !== null && through !== null && through <= r.correctionsThrough && corrections.length === r.examples.corrections) {
    return finish({ ...base, outcome: 'skipped', reason: `no corrections since the last promotion (${r.version})`, version: r.version });
  }
  const last = await store.lastDecision();
  const keptSince = last?.outcome === 'kept' ? last.runAt : last?.keptSince;
  if (last && keptSince && last.correctionsThrough === through && last.corrections === corrections.length && last.shippedSha256 === input.shipped.sha256) {
    // The same inputs train the same candidate (the trainer is seeded): it would lose again.
    return finish({ ...base, outcome: 'skipped', reason: `no corrections since the run of ${keptSince}, which kept the current models`, keptSince });
  }

  const { train, validation, correctionsInValidation } = splitRows(input.shipped.rows, corrections, {
    shippedFraction: options.shippedValidationFraction ?? 0.1,
    correctionShare: options.correctionValidationShare ?? 0.25,
    seed,
  });
  const trainOpts = { ...options.train, trainedAt: options.now };
  const categoryArtifact = trainModel(train.map((t) => ({ text: t.text, label: t.category })), trainOpts);
  const intentArtifact = trainModel(train.flatMap((t) => (t.intent ? [{ text: t.text, label: t.intent }] : [])), trainOpts);
  const candidate = { category: loadModel(categoryArtifact), intent: loadModel(intentArtifact) };
  const current = promoted?.models ?? input.shipped.models;
  const currentSource = promoted ? 'promoted' : 'shipped';
  const candidateScore = pairScore(candidate, validation);
  const currentScore = pairScore(current, validation);
  const verdict = decide(candidateScore, currentScore);
  const scores = { candidate: candidateScore, current: currentScore, currentSource } as const;
  if (!verdict.promote) return finish({ ...base, outcome: 'kept', reason: verdict.reason, ...scores });

  const hash = createHash('sha256').update(categoryArtifact.trainingData.sha256).update(intentArtifact.trainingData.sha256).digest('hex');
  const version = `${runAt.replace(/[-:]|\.\d{3}/g, '')}-${hash.slice(0, 8)}`;
  const record: Omit<PromotionRecord, 'key' | 'name'> = {
    version,
    trainedAt: runAt,
    promotedAt: runAt,
    metrics: { candidate: candidateScore, previous: currentScore, previousSource: currentSource },
    examples: { shipped: input.shipped.rows.length, corrections: corrections.length, trainedOn: train.length, validation: validation.length, correctionsInValidation },
    correctionsThrough: through,
    shippedSha256: input.shipped.sha256,
  };
  // Intent first: a reader that sees the new category pointer finds its intent model ready.
  await store.promote(MODEL_NAMES.intent, intentArtifact, { ...record, name: MODEL_NAMES.intent });
  await store.promote(MODEL_NAMES.category, categoryArtifact, { ...record, name: MODEL_NAMES.category });
  return finish({ ...base, outcome: 'promoted', reason: verdict.reason, version, ...scores });
}
