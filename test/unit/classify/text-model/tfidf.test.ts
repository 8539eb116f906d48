import { describe, expect, it } from 'vitest';
import type { FeatureSettings } from '../../../../shared/classify/text-model/features';
import { buildVocabulary, termIndex, vectorise } from '../../../../shared/classify/text-model/tfidf';

const WORDS_ONLY: FeatureSettings = { wordNgrams: [1, 1], charNgrams: [0, 0], minDf: 1, charWeight: 1 };

describe('tf-idf on a 3-document corpus', () => {
  // Corpus: "cat dog dog", "dog", "fish"; n = 3.
  // df: cat 1, dog 2, fish 1 → idf = ln((1+n)/(1+df)) + 1: cat = fish = 1 + ln 2 = 1.693147, dog = 1 + ln(4/3) = 1.287682.
  const corpus = ['cat dog dog', 'dog', 'fish'];
  const vocabulary = buildVocabulary(corpus, WORDS_ONLY);
  const index = termIndex(vocabulary);

  it('builds the vocabulary and idf', () => {
    expect(vocabulary.terms).toEqual(['w:cat', 'w:dog', 'w:fish']);
    expect(vocabulary.idf[0]).toBeCloseTo(1.693147, 6);
    expect(vocabulary.idf[1]).toBeCloseTo(1.287682, 6);
    expect(vocabulary.idf[2]).toBeCloseTo(1.693147, 6);
  });

  it('weights "cat dog dog" with sublinear tf and l2 norm', () => {
    // cat: 1 × 1.693147 = 1.693147; dog: (1 + ln 2) × 1.287682 = 2.180236;
    // norm = sqrt(1.693147² + 2.180236²) = 2.760467 → cat 0.613356, dog 0.789807.
    const v = vectorise('cat dog dog', WORDS_ONLY, index, vocabulary.idf);
    const byTerm = Object.fromEntries([...v.indices].map((i, k) => [vocabulary.terms[i], v.values[k]]));
    expect(byTerm['w:cat']).toBeCloseTo(0.613356, 5);
    expect(byTerm['w:dog']).toBeCloseTo(0.789807, 5);
  });

  it('drops unknown terms and keeps a one-term text at norm 1', () => {
    const v = vectorise('fish bird', WORDS_ONLY, index, vocabulary.idf);
    expect([...v.indices]).toEqual([2]);
    expect(v.values[0]).toBeCloseTo(1, 12);
  });

  it('applies min df', () => {
    expect(buildVocabulary(corpus, { ...WORDS_ONLY, minDf: 2 }).terms).toEqual(['w:dog']);
  });

  it('normalises word and character blocks separately, the character block scaled by charWeight', () => {
    const settings: FeatureSettings = { wordNgrams: [1, 1], charNgrams: [3, 3], minDf: 1, charWeight: 0.5 };
    const vocab = buildVocabulary(corpus, settings);
    const v = vectorise('cat dog dog', settings, termIndex(vocab), vocab.idf);
    let words = 0;
    let chars = 0;
    v.indices.forEach((i, k) => (vocab.terms[i]!.startsWith('w:') ? (words += v.values[k]! ** 2) : (chars += v.values[k]! ** 2)));
    expect(words).toBeCloseTo(1, 10);
    expect(chars).toBeCloseTo(0.25, 10);
  });

  it('gives span n-grams their own block, scaled by spanWeight', () => {
    const settings: FeatureSettings = { wordNgrams: [1, 1], charNgrams: [3, 3], spanNgrams: [4, 4], spanWeight: 2, minDf: 1, charWeight: 0.5 };
    const vocab = buildVocabulary(corpus, settings);
    // " cat dog dog " has the span 4-gram "t do", which no single word has.
    expect(vocab.terms).toContain('x:t do');
    const v = vectorise('cat dog dog', settings, termIndex(vocab), vocab.idf);
    const sums: Record<string, number> = {};
    v.indices.forEach((i, k) => (sums[vocab.terms[i]!.slice(0, 2)] = (sums[vocab.terms[i]!.slice(0, 2)] ?? 0) + v.values[k]! ** 2));
    expect(sums['w:']).toBeCloseTo(1, 10);
    expect(sums['c:']).toBeCloseTo(0.25, 10);
    expect(sums['x:']).toBeCloseTo(4, 10);
  });
});
