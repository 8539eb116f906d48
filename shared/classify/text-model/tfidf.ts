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
 * One text as an l2-normalised TF-IDF vector (word block and character block normalised
 * separately; the character block then scaled by `charWeight`). Unknown terms are dropped.
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
  const isChar: boolean[] = [];
  let wordSq = 0;
  let charSq = 0;
  for (const [term, tf] of counts) {
    const i = index.get(term);
    if (i === undefined) continue;
    const v = (1 + Math.log(tf)) * idf[i]!;
    // Terms are prefixed "w:" or "c:" (99), which tells the block.
    const c = term.charCodeAt(0) === 99;
    idx.push(i);
    val.push(v);
    isChar.push(c);
    if (c) charSq += v * v;
    else wordSq += v * v;
  }
  const wordScale = wordSq > 0 ? 1 / Math.sqrt(wordSq) : 0;
  const charScale = charSq > 0 ? settings.charWeight / Math.sqrt(charSq) : 0;
  const indices = new Int32Array(idx);
  const values = new Float64Array(val.length);
  for (let k = 0; k < val.length; k++) values[k] = val[k]! * (isChar[k] ? charScale : wordScale);
  return { indices, values };
}
