/**
 * Calibration on validation data: a softmax temperature that minimises log-loss, a reject
 * threshold that balances right answers against sending to a human, and the metrics.
 */
import type { ValidationMetrics } from './artifact';
import { argmax, softmax } from './model';

/** One validation row reduced to what calibration needs. `truth` is -1 for a label the model does not know. */
export interface ScoredRow {
  decisions: Float64Array;
  truth: number;
}

// Floor 0.1: on near-perfect validation data log-loss keeps falling as T → 0, which would
// turn confidence into a 0/1 step; SVM decision values live on a ±1 scale, so 0.1 is sharp enough.
const TEMPERATURES = Array.from({ length: 49 }, (_, i) => 0.1 * Math.pow(10, i / 32)); // 0.1 .. ~3.2

function logLoss(rows: readonly ScoredRow[], temperature: number, noneLogit: number | null): number {
  let sum = 0;
  let n = 0;
  for (const r of rows) {
    if (r.truth < 0) continue;
    const p = softmax(r.decisions, temperature, noneLogit)[r.truth]!;
    sum -= Math.log(Math.max(p, 1e-12));
    n++;
  }
  return n ? sum / n : 0;
}

/** The temperature (from a log-spaced grid) with the lowest mean log-loss on rows of known labels. */
export function fitTemperature(rows: readonly ScoredRow[], noneLogit: number | null): number {
  let best = 1;
  let bestLoss = Infinity;
  for (const t of TEMPERATURES) {
    const loss = logLoss(rows, t, noneLogit);
    if (loss < bestLoss) [best, bestLoss] = [t, loss];
  }
  return Number(best.toPrecision(6));
}

interface Decided {
  top: number;
  confidence: number;
  truth: number;
}

function decide(rows: readonly ScoredRow[], temperature: number, noneLogit: number | null): Decided[] {
  return rows.map((r) => {
    const p = softmax(r.decisions, temperature, noneLogit);
    const top = argmax(p);
    return { top, confidence: p[top]!, truth: r.truth };
  });
}

/** Out-of-scope recall the threshold aims for when validation has out-of-scope rows (the product's aim). */
export const TARGET_OOS_RECALL = 0.8;

/**
 * Picks the reject threshold on validation rows.
 *
 * With out-of-scope rows (the explicit label, or labels the model does not know): the
 * lowest threshold whose out-of-scope recall reaches `targetRecall`, so as few in-scope
 * answers as possible are given up for it; when no threshold reaches it, the one that
 * maximises in-scope accuracy + out-of-scope recall.
 *
 * Without them: the threshold that maximises the rows handled right, i.e. accepted with the
 * right label, or rejected when the label would have been wrong (a human then fixes it,
 * instead of a wrong team).
 */
export function chooseThreshold(rows: readonly ScoredRow[], temperature: number, noneLogit: number | null, oos: number, targetRecall = TARGET_OOS_RECALL): number {
  const decided = decide(rows, temperature, noneLogit);
  const isOos = (d: Decided) => d.truth < 0 || d.truth === oos;
  const hasOos = decided.some(isOos);
  const sorted = [...new Set(decided.map((d) => d.confidence))].sort((a, b) => a - b);
  // At most ~400 candidates: quantiles of the confidences seen, plus 0 (reject nothing but oos).
  const step = Math.max(1, Math.floor(sorted.length / 400));
  const candidates = [0, ...sorted.filter((_, i) => i % step === 0)];
  if (hasOos) {
    for (const t of candidates) if (outcome(decided, t, oos).oosRecall >= targetRecall) return Number(t.toPrecision(6));
  }
  const scores = candidates.map((t) => {
    const o = outcome(decided, t, oos);
    return hasOos ? o.inScopeAccuracy + o.oosRecall : o.handledRight;
  });
  const bestScore = Math.max(...scores);
  // Ties form a plateau (e.g. every threshold up to the lowest confidence seen when
  // validation is all right): take its middle rather than its low edge, 0, which would
  // never reject anything.
  const lo = scores.findIndex((s) => s >= bestScore - 1e-12);
  let hi = lo;
  while (hi + 1 < scores.length && scores[hi + 1]! >= bestScore - 1e-12) hi++;
  return Number(((candidates[lo]! + candidates[hi]!) / 2).toPrecision(6));
}

function outcome(decided: readonly Decided[], t: number, oos: number): { inScopeAccuracy: number; oosRecall: number; handledRight: number } {
  let inRight = 0, inAll = 0, oosRight = 0, oosAll = 0, right = 0;
  for (const d of decided) {
    const rejected = d.top === oos || d.confidence < t;
    if (rejected ? d.top !== d.truth : d.top === d.truth) right++;
    if (d.truth < 0 || d.truth === oos) {
      oosAll++;
      if (rejected) oosRight++;
    } else {
      inAll++;
      if (!rejected && d.top === d.truth) inRight++;
    }
  }
  return { inScopeAccuracy: inAll ? inRight / inAll : 0, oosRecall: oosAll ? oosRight / oosAll : 0, handledRight: right / (decided.length || 1) };
}

/** Accuracy, macro-F1, reject figures and log-loss of scored rows under a temperature and threshold. */
export function metricsOf(
  rows: readonly ScoredRow[],
  classes: number,
  calibration: { temperature: number; noneLogit: number | null; threshold: number },
  oos: number,
  source: string,
): ValidationMetrics {
  const { temperature, noneLogit, threshold } = calibration;
  const decided = decide(rows, temperature, noneLogit);
  let correct = 0, inRight = 0, inAll = 0, oosRight = 0, oosAll = 0, rejectedCount = 0, accepted = 0, acceptedRight = 0;
  const tp = new Float64Array(classes), fp = new Float64Array(classes), fn = new Float64Array(classes);
  for (const d of decided) {
    const rejected = d.top === oos || d.confidence < threshold;
    if (rejected) rejectedCount++;
    if (d.top === d.truth) {
      correct++;
      tp[d.top]!++;
    } else {
      fp[d.top]!++;
      if (d.truth >= 0) fn[d.truth]!++;
    }
    if (d.truth < 0 || d.truth === oos) {
      oosAll++;
      if (rejected) oosRight++;
    } else {
      inAll++;
      if (!rejected) {
        accepted++;
        if (d.top === d.truth) acceptedRight++;
        if (d.top === d.truth) inRight++;
      }
    }
  }
  let f1Sum = 0, f1Classes = 0;
  for (let k = 0; k < classes; k++) {
    if (tp[k]! + fp[k]! + fn[k]! === 0) continue;
    f1Sum += (2 * tp[k]!) / (2 * tp[k]! + fp[k]! + fn[k]!);
    f1Classes++;
  }
  const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
  const n = decided.length || 1;
  return {
    source,
    examples: decided.length,
    accuracy: r4(correct / n),
    macroF1: r4(f1Classes ? f1Sum / f1Classes : 0),
    inScopeAccuracy: r4(inAll ? inRight / inAll : 0),
    outOfScopeRecall: oosAll ? r4(oosRight / oosAll) : null,
    rejectRate: r4(rejectedCount / n),
    acceptedAccuracy: r4(accepted ? acceptedRight / accepted : 0),
    logLoss: r4(logLoss(rows, temperature, noneLogit)),
  };
}
