import { describe, expect, it } from 'vitest';
import { analyseNeeds } from '../../../../shared/analytics/needs/analyse';
import { normalizedMutualInformation, npmiCoherence, purity } from '../../../../shared/analytics/needs/evaluate';
import { fitLda } from '../../../../shared/analytics/needs/lda';
import { seededRandom } from '../../../../shared/lib/random';

// Two disjoint vocabularies: billing and delivery, 20 short documents each, shuffled together.
const billing = ['invoice', 'refund', 'charge', 'payment', 'bill'];
const delivery = ['parcel', 'courier', 'track', 'arrive', 'ship'];
const random = seededRandom(42);
const pick = (words: string[]) => Array.from({ length: 5 }, () => words[Math.floor(random() * words.length)] as string);
const docs: string[][] = [];
const truth: string[] = [];
for (let i = 0; i < 40; i++) {
  const topic = i % 2 === 0 ? 'billing' : 'delivery';
  docs.push(pick(topic === 'billing' ? billing : delivery));
  truth.push(topic);
}

describe('fitLda', () => {
  it('separates a two-topic corpus', () => {
    const model = fitLda(docs, { k: 2, iterations: 100, seed: 7, maxDocShare: 1 });
    expect(purity(model.docTopic, truth)).toBe(1);
    expect(normalizedMutualInformation(model.docTopic, truth)).toBeCloseTo(1, 10);
    const tops = model.topics.map((t) => new Set(t.words.slice(0, 5).map((w) => w.term)));
    const sets = [new Set(billing), new Set(delivery)];
    // each topic's top five words are exactly one vocabulary
    expect(tops.every((top) => sets.some((s) => [...top].every((w) => s.has(w))))).toBe(true);
    expect(model.topics[0]!.share + model.topics[1]!.share).toBeCloseTo(1, 12);
    for (const theta of model.docTopics) expect(theta.reduce((a, b) => a + b)).toBeCloseTo(1, 12);
  });

  it('is deterministic for a seed and drops rare and ubiquitous terms from the vocabulary', () => {
    const a = fitLda(docs, { k: 2, iterations: 20, seed: 3 });
    const b = fitLda(docs, { k: 2, iterations: 20, seed: 3 });
    expect(a).toEqual(b);
    const vocab = fitLda([['x', 'common'], ['y', 'common'], ['y', 'common'], ['x', 'once']], { k: 1, iterations: 1 }).vocabulary;
    expect(vocab.sort()).toEqual(['x', 'y']); // 'common' is in 100% > 50% of documents, 'once' in one
  });

  it('marks documents with no kept terms with topic −1', () => {
    expect(fitLda([['a', 'b'], ['a', 'b'], ['zzz']], { k: 2, iterations: 5, maxDocShare: 1 }).docTopic[2]).toBe(-1);
  });
});

describe('topic evaluation', () => {
  it('purity and NMI worked by hand', () => {
    // cluster 0: a a b → 2 hits; cluster 1: b b → 2; cluster −1 (empty doc): a → miss
    expect(purity([0, 0, 0, 1, 1, -1], ['a', 'a', 'b', 'b', 'b', 'a'])).toBeCloseTo(4 / 6, 12);
    expect(normalizedMutualInformation([0, 0, 1, 1], ['x', 'x', 'y', 'y'])).toBeCloseTo(1, 12);
    expect(normalizedMutualInformation([0, 1, 0, 1], ['x', 'x', 'y', 'y'])).toBeCloseTo(0, 12);
  });

  it('NPMI: 1 for words always together, −1 for words never together', () => {
    const corpus = [['a', 'b'], ['a', 'b'], ['c'], ['d']];
    // p(a)=p(b)=p(a,b)=1/2 → ln(0.5/0.25)/−ln 0.5 = 1
    expect(npmiCoherence(['a', 'b'], corpus)).toBeCloseTo(1, 12);
    expect(npmiCoherence(['a', 'c'], corpus)).toBe(-1);
    expect(npmiCoherence(['a', 'b', 'c'], corpus)).toBeCloseTo((1 - 1 - 1) / 3, 12);
  });
});

describe('analyseNeeds', () => {
  it('reports top terms per category × channel and topics with readable labels', () => {
    const messages = [
      { text: 'Where is my delivery? The delivery is late', category: 'DELIVERY', channel: 'email' },
      { text: 'delivery still not arrived', category: 'DELIVERY', channel: 'email' },
      { text: 'I want a refund, refund my money', category: 'REFUND', channel: 'chat' },
      { text: 'refund please, the money is gone', category: 'REFUND', channel: 'chat' },
    ];
    const result = analyseNeeds(messages, { lda: { k: 2, iterations: 50, maxDocShare: 1 } });
    expect(result.messages).toBe(4);
    expect(result.groups.map((g) => g.group)).toEqual(['DELIVERY × email', 'REFUND × chat']);
    expect(result.groups[0]!.frequent[0]).toEqual({ term: 'deliveri', label: 'delivery', count: 3, score: 3 });
    expect(result.groups[1]!.distinctive.map((t) => t.label)).toEqual(['refund', 'money']);
    expect(result.topics).toHaveLength(2);
    expect(result.topics.reduce((s, t) => s + t.messages, 0)).toBe(4);
    expect(analyseNeeds(messages, { lda: { k: 0 } }).topics).toEqual([]);
  });
});
