/**
 * Latent Dirichlet allocation by collapsed Gibbs sampling (Griffiths & Steyvers 2004), seeded
 * so the same corpus and options give the same topics. Each token's topic is resampled from
 * p(z = k) ∝ (n_dk + α)(n_kw + β) / (n_k + Vβ) for a fixed number of sweeps; the topic–word
 * distributions φ and document–topic distributions θ are read from the final counts.
 *
 * Sized for a period's short support messages: ~10k messages of ~6 terms and k ≈ 10 take
 * well under a second for 200 sweeps (see test/bench/needs.ts).
 */
import { seededRandom } from '../../lib/random';


export interface LdaOptions {
  /** Number of topics. */
  k: number;
  /** Gibbs sweeps over all tokens (default 200). */
  iterations?: number;
  /** Document–topic prior (default 0.1: short messages are mostly about one thing). */
  alpha?: number;
  /** Topic–word prior (default 0.01). */
  beta?: number;
  /** PRNG seed (default 1). */
  seed?: number;
  /** Words listed per topic (default 10). */
  topWords?: number;
  /** Terms in fewer documents than this are dropped from the vocabulary (default 2). */
  minDocCount?: number;
  /** Terms in more than this share of documents are dropped (default 0.5). */
  maxDocShare?: number;
}

export interface LdaTopic {
  /** Top words by φ, highest first, with their probability in the topic. */
  words: Array<{ term: string; weight: number }>;
  /** Share of all tokens assigned to the topic. */
  share: number;
}

export interface LdaModel {
  vocabulary: string[];
  topics: LdaTopic[];
  /** θ per input document (k numbers summing to 1; uniform for a document with no kept terms). */
  docTopics: number[][];
  /** The most probable topic of each document, or −1 when it has no kept terms. */
  docTopic: number[];
}

/** Vocabulary after the document-frequency filters, in first-seen order (deterministic). */
function buildVocabulary(docs: ReadonlyArray<readonly string[]>, minDocCount: number, maxDocShare: number): string[] {
  const docCount = new Map<string, number>();
  for (const doc of docs) for (const t of new Set(doc)) docCount.set(t, (docCount.get(t) ?? 0) + 1);
  const maxDocs = maxDocShare * docs.length;
  return [...docCount].filter(([, c]) => c >= minDocCount && c <= maxDocs).map(([t]) => t);
}

/** Fits LDA to documents given as term lists (e.g. from termsOf). */
export function fitLda(docs: ReadonlyArray<readonly string[]>, options: LdaOptions): LdaModel {
  const { k, iterations = 200, alpha = 0.1, beta = 0.01, seed = 1, topWords = 10, minDocCount = 2, maxDocShare = 0.5 } = options;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  const vocabulary = buildVocabulary(docs, minDocCount, maxDocShare);
  const V = vocabulary.length;
  const wordId = new Map(vocabulary.map((t, i) => [t, i]));

  // Flatten kept tokens: word[i], doc[i], topic[i].
  const words: number[] = [];
  const docOf: number[] = [];
  docs.forEach((doc, d) => {
    for (const t of doc) {
      const w = wordId.get(t);
      if (w !== undefined) {
        words.push(w);
        docOf.push(d);
      }
    }
  });
  const N = words.length;
  const z = new Int32Array(N);
  const nDocTopic = new Int32Array(docs.length * k);
  const nTopicWord = new Int32Array(k * V);
  const nTopic = new Int32Array(k);
  const random = seededRandom(seed);
  for (let i = 0; i < N; i++) {
    const t = Math.floor(random() * k);
    z[i] = t;
    nDocTopic[docOf[i]! * k + t]!++;
    nTopicWord[t * V + words[i]!]!++;
    nTopic[t]!++;
  }

  const p = new Float64Array(k);
  const vBeta = V * beta;
  for (let iter = 0; iter < iterations; iter++) {
    for (let i = 0; i < N; i++) {
      const w = words[i]!;
      const d = docOf[i]! * k;
      const old = z[i]!;
      nDocTopic[d + old]!--;
      nTopicWord[old * V + w]!--;
      nTopic[old]!--;
      let sum = 0;
      for (let t = 0; t < k; t++) {
        sum += ((nDocTopic[d + t]! + alpha) * (nTopicWord[t * V + w]! + beta)) / (nTopic[t]! + vBeta);
        p[t] = sum;
      }
      const u = random() * sum;
      let next = 0;
      while (next < k - 1 && p[next]! <= u) next++;
      z[i] = next;
      nDocTopic[d + next]!++;
      nTopicWord[next * V + w]!++;
      nTopic[next]!++;
    }
  }

  const topics: LdaTopic[] = [];
  for (let t = 0; t < k; t++) {
    const row = vocabulary.map((term, w) => ({ term, weight: (nTopicWord[t * V + w]! + beta) / (nTopic[t]! + vBeta) }));
    row.sort((a, b) => b.weight - a.weight || (a.term < b.term ? -1 : 1));
    topics.push({ words: row.slice(0, topWords), share: N === 0 ? 0 : nTopic[t]! / N });
  }
  const docTopics: number[][] = [];
  const docTopic: number[] = [];
  for (let d = 0; d < docs.length; d++) {
    let length = 0;
    for (let t = 0; t < k; t++) length += nDocTopic[d * k + t]!;
    const theta = Array.from({ length: k }, (_, t) => (nDocTopic[d * k + t]! + alpha) / (length + k * alpha));
    docTopics.push(theta);
    let best = 0;
    for (let t = 1; t < k; t++) if (theta[t]! > theta[best]!) best = t;
    docTopic.push(length === 0 ? -1 : best);
  }
  return { vocabulary, topics, docTopics, docTopic };
}
