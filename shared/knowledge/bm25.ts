import { termsOf } from '../analytics/needs/tokenize';

/**
 * Okapi BM25 over articles, pure and in memory (a knowledge base is hundreds of articles,
 * not millions: one object built per container is enough).
 *
 * - Terms: the need-analysis tokeniser (`termsOf`: NFKC, lowercase, letter words, NLTK
 *   English stop words, Porter stems via `stemmer`). Digits are dropped there, which suits
 *   us: order numbers and amounts say nothing about which answer fits. `{{Placeholder}}`
 *   spans of Bitext bodies are not indexed either ("{{Website Name}}" is in half the answers).
 * - Fields: title, tags and body form one weighted bag (BM25F with one saturation): a title
 *   term counts `titleWeight` times, a tag term `tagWeight` times, and the document length is
 *   the weighted sum too, so a long body does not drown its title.
 * - idf = ln(1 + (N − n + 0.5) / (n + 0.5)) (Lucene's form: never negative, even for a term
 *   in every article).
 * - A query is its set of distinct terms (a repeated word does not count twice).
 */

export interface Bm25Options {
  k1: number;
  b: number;
  titleWeight: number;
  tagWeight: number;
}

export const DEFAULT_BM25: Bm25Options = { k1: 1.2, b: 0.75, titleWeight: 3, tagWeight: 3 };

/** What the index needs of an article. */
export interface IndexableDoc {
  id: string;
  title: string;
  body: string;
  tags?: readonly string[];
  category?: string;
  intent?: string;
  autoReply?: boolean;
}

export interface IndexedDoc {
  id: string;
  title: string;
  category?: string;
  intent?: string;
  autoReply: boolean;
  /** Weighted term frequencies. */
  tf: ReadonlyMap<string, number>;
  /** Weighted length (sum of tf). */
  length: number;
}

export interface Bm25Index {
  options: Bm25Options;
  docs: readonly IndexedDoc[];
  /** Number of documents holding each term. */
  df: ReadonlyMap<string, number>;
  avgLength: number;
}

const PLACEHOLDER = /\{\{[^}]*\}\}/g;

/** The index terms of a text (placeholders removed first). */
export const analyze = (text: string): string[] => termsOf(text.replace(PLACEHOLDER, ' '));

/** Builds the index; `options` override DEFAULT_BM25 field by field. */
export function buildBm25Index(docs: readonly IndexableDoc[], options: Partial<Bm25Options> = {}): Bm25Index {
  const opts = { ...DEFAULT_BM25, ...options };
  const df = new Map<string, number>();
  const indexed = docs.map((d): IndexedDoc => {
    const tf = new Map<string, number>();
    const add = (terms: string[], weight: number) => {
      for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + weight);
    };
    add(analyze(d.title), opts.titleWeight);
    add(analyze((d.tags ?? []).join(' ')), opts.tagWeight);
    add(analyze(d.body), 1);
    for (const t of tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
    let length = 0;
    for (const v of tf.values()) length += v;
    return {
      id: d.id,
      title: d.title,
      ...(d.category !== undefined ? { category: d.category } : {}),
      ...(d.intent !== undefined ? { intent: d.intent } : {}),
      autoReply: d.autoReply ?? false,
      tf,
      length,
    };
  });
  const total = indexed.reduce((s, d) => s + d.length, 0);
  return { options: opts, docs: indexed, df, avgLength: indexed.length ? total / indexed.length : 0 };
}

/** Inverse document frequency of a term; a term no article holds gets the largest value. */
export function idf(index: Bm25Index, term: string): number {
  const n = index.df.get(term) ?? 0;
  const N = index.docs.length;
  return Math.log(1 + (N - n + 0.5) / (n + 0.5));
}

/** One term's contribution for a weighted frequency `tf` in a document of weighted length `length`. */
function termScore(index: Bm25Index, idfValue: number, tf: number, length: number): number {
  if (tf <= 0) return 0;
  const { k1, b } = index.options;
  const norm = index.avgLength > 0 ? 1 - b + (b * length) / index.avgLength : 1;
  return (idfValue * tf * (k1 + 1)) / (tf + k1 * norm);
}

/** BM25 of every document for the distinct query terms, in index order. */
export function scoreAll(index: Bm25Index, queryTerms: readonly string[]): number[] {
  const terms = [...new Set(queryTerms)];
  const idfs = terms.map((t) => idf(index, t));
  return index.docs.map((d) => {
    let s = 0;
    terms.forEach((t, i) => (s += termScore(index, idfs[i]!, d.tf.get(t) ?? 0, d.length)));
    return s;
  });
}

/**
 * The score the query would get against a document that is the query itself (each distinct
 * term once, length = number of distinct terms), with the corpus's idf and average length.
 * Dividing by it gives a score that no longer grows with the length of the message.
 */
export function selfScore(index: Bm25Index, queryTerms: readonly string[]): number {
  const terms = [...new Set(queryTerms)];
  return terms.reduce((s, t) => s + termScore(index, idf(index, t), 1, terms.length), 0);
}
