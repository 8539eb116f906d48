import { describe, expect, it } from 'vitest';
import { ENGLISH_STOP_WORDS, SUPPORT_STOP_WORDS } from '../../../../shared/analytics/needs/stop-words';
import { surfaceLabels, termsOf, tokenize } from '../../../../shared/analytics/needs/tokenize';
import { countTermsByGroup, topTermsByGroup } from '../../../../shared/analytics/needs/top-terms';

describe('tokenize and termsOf', () => {
  it('lowercases, keeps Unicode letters and drops numbers and punctuation', () => {
    expect(tokenize('Où est ma COMMANDE #12345? Naïve-café, order42!')).toEqual(['où', 'est', 'ma', 'commande', 'naïve', 'café', 'order']);
    expect(tokenize('I don’t have it')).toEqual(['i', "don't", 'have', 'it']);
  });

  it('removes NLTK stop words and stems with Porter', () => {
    expect(ENGLISH_STOP_WORDS.size).toBe(179);
    expect(termsOf("I don't want to cancel my orders, they're delivering 3 items")).toEqual(['want', 'cancel', 'order', 'deliv', 'item']);
    expect(termsOf('the customer’s refunds', { stem: false })).toEqual(['customer', 'refunds']);
    expect(termsOf('please help me cancel', { extraStopWords: SUPPORT_STOP_WORDS })).toEqual(['cancel']);
  });

  it('labels each stem with the word written most often', () => {
    const surface = new Map<string, Map<string, number>>();
    termsOf('delivery deliveries delivery', {}, surface);
    expect(surfaceLabels(surface).get('deliveri')).toBe('delivery');
  });
});

describe('topTermsByGroup', () => {
  // group A: refund×4, order×2, late×1; group B: order×4, track×3, refund×1
  const counts = countTermsByGroup([
    { group: 'A', terms: ['refund', 'refund', 'order', 'late'] },
    { group: 'A', terms: ['refund', 'refund', 'order'] },
    { group: 'B', terms: ['order', 'order', 'track', 'track'] },
    { group: 'B', terms: ['order', 'order', 'track', 'refund'] },
  ]);

  it('ranks by frequency with a minimum count', () => {
    const top = topTermsByGroup(counts, { scoring: 'frequency', minCount: 2 });
    expect(top.get('A')).toEqual([
      { term: 'refund', count: 4, score: 4 },
      { term: 'order', count: 2, score: 2 },
    ]);
    expect(top.get('B')?.map((t) => t.term)).toEqual(['order', 'track']);
  });

  it('scores tf-idf with groups as documents, so shared terms score 0', () => {
    const top = topTermsByGroup(counts, { scoring: 'tfidf', minCount: 1 });
    // B: track tf = 3/8, idf = ln(2/1) → 0.375·ln 2; order and refund are in both groups → 0
    expect(top.get('B')?.[0]).toEqual({ term: 'track', count: 3, score: expect.closeTo(0.375 * Math.LN2, 12) });
    expect(top.get('B')?.find((t) => t.term === 'order')?.score).toBe(0);
  });

  it('scores log-odds against the other groups: positive for over-used, negative for under-used terms', () => {
    const top = topTermsByGroup(counts, { scoring: 'log-odds', minCount: 1, priorStrength: 4 });
    const a = top.get('A') ?? [];
    expect(a[0]?.term).toBe('refund');
    expect(a.find((t) => t.term === 'order')?.score).toBeLessThan(0);
    // refund in A: y=4, n=7, rest y=1, n=8; α = 4·5/15 = 4/3, α₀ = 4
    const alpha = 4 / 3;
    const delta = Math.log((4 + alpha) / (7 + 4 - 4 - alpha)) - Math.log((1 + alpha) / (8 + 4 - 1 - alpha));
    expect(a[0]?.score).toBeCloseTo(delta / Math.sqrt(1 / (4 + alpha) + 1 / (1 + alpha)), 12);
  });
});
