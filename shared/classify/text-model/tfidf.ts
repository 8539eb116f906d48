/**
 * TF-IDF on top of `termCounts`: a vocabulary with min document frequency, smooth idf
 * (sklearn's `ln((1 + n) / (1 + df)) + 1`), sublinear tf (`1 + ln tf`), and l2 norm per
 * block (words, characters) so neither block drowns the other.
 */
import { termCounts, type FeatureSettings } from './features';

/** A sparse vector: parallel arrays of feature indices and values. */
export interface SparseVector {
  indices: Int32Array;
  values: Float64Array;
}

/** Vocabulary terms in index order with their idf. */
export interface Vocabulary {
  terms: string[];
  idf: Float64Array;
}

/** Builds the vocabulary from training texts: terms in ≥ minDf documents, sorted for determinism. */
export function buildVocabulary(texts: readonly string[], settings: FeatureSettings): Vocabulary {
  const df = new Map<string, number>();
  for (const text of texts) {
    for (const term of termCounts(text, settings).keys()) df.set(term, (df.get(term) ?? 0) + 1);
  }
  const terms = [...df.entries()].filter(([, d]) => d >= settings.minDf).map(([t]) => t).sort();
  const n = texts.length;
  const idf = new Float64Array(terms.length);
  terms.forEach((t, i) => (idf[i] = Math.log((1 + n) / (1 + df.get(t)!)) + 1));
  return { terms, idf };
}

/** Index lookup for a vocabulary; built once per model. */
export function termIndex(vocabulary: Vocabulary): Map<string, number> {
  return new Map(vocabulary.terms.map((t, i) => [t, i]));
}

/**
 * One text as an l2-normalised TF-IDF vector (word, character and span blocks normalised
 * separately; the character block then scaled by `charWeight`, the span block by `spanWeight`). Unknown terms are dropped.
 */
export function vectorise(
  text: string,
  settings: FeatureSettings,
  index: ReadonlyMap<string, number>,
  idf: ArrayLike<number>,
): SparseVector {
  const counts = termCounts(text, settings);
  const idx: number[] = [];
  const val: number[] = [];
  const block: number[] = []; // 0 words and stems, 1 characters, 2 spans
  const sq = [0, 0, 0];
  for (const [term, tf] of counts) {
    const i = index.get(term);
    if (i === undefined) continue;
    const v = (1 + Math.log(tf)) * idf[i]!;
    // The term's prefix tells the block: "c:" (99) characters, "x:" (120) spans, else words.
    const code = term.charCodeAt(0);
    const b = code === 99 ? 1 : code === 120 ? 2 : 0;
    idx.push(i);
    val.push(v);
    block.push(b);
    sq[b]! += v * v;
  }
  const weights = [1, settings.charWeight, settings.spanWeight ?? 1];
  const scale = sq.map((s, b) => (s > 0 ? weights[b]! / Math.sqrt(s) : 0));
  const indices = new Int32Array(idx);
  const values = new Float64Array(val.length);
  for (let k = 0; k < val.length; k++) values[k] = val[k]! * scale[block[k]!]!;
  return { indices, values };
}
