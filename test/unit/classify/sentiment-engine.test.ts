import { describe, expect, it } from 'vitest';
import type { SentimentResult } from '../../../shared/classify/sentiment';
import {
  UNSCORED,
  analyzeBuiltinSentiment,
  builtinSentimentEngine,
  createHybridSentimentEngine,
  isUnsure,
  positiveProbability,
  type SentimentEngine,
  type SentimentInput,
} from '../../../shared/classify/sentiment-engine';
import { DependencyError } from '../../../shared/domain/errors';

const label = (text: string) => analyzeBuiltinSentiment(text).label;

describe('analyzeBuiltinSentiment', () => {
  it('labels clear praise and complaints, including the ones the lexicon misses', () => {
    expect(label('I love this, great service, thank you')).toBe('positive');
    expect(label('This is terrible, the product is broken and useless')).toBe('negative');
    expect(label('The charger does not work')).toBe('negative');
    expect(label('not good')).toBe('negative');
    expect(label('Delivery was slow but the support team was great')).toBe('positive');
    expect(label('I will never buy from them again and I want my money back')).toBe('negative');
  });

  it('labels plain requests neutral (the model is unsure of them)', () => {
    for (const text of ['Where is my order?', 'How do I reset my password', 'I would like to cancel my subscription']) {
      expect(label(text), text).toBe('neutral');
    }
  });

  it('reports the confidence of the binary decision and keeps the lexicon score', () => {
    const r = analyzeBuiltinSentiment('This is terrible');
    const p = positiveProbability('This is terrible');
    expect(r.confidence).toBeCloseTo(Math.max(p, 1 - p), 3);
    expect(r.confidence!).toBeGreaterThan(0.9);
    expect(r.score).toBe(-3); // AFINN terrible = -3
    expect(r.comparative).toBeCloseTo(-1, 3);
  });

  it('zeroes a lexicon score that contradicts the label', () => {
    for (const text of ['not bad at all', 'I am never happy with your service', 'Please help, my card was stolen', 'Thanks, all good!']) {
      const r = analyzeBuiltinSentiment(text);
      if (r.label === 'positive') expect(r.score).toBeGreaterThanOrEqual(0);
      if (r.label === 'negative') expect(r.score).toBeLessThanOrEqual(0);
    }
  });

  it('answers UNSCORED for text without letters, and the same every time', () => {
    expect(analyzeBuiltinSentiment('')).toEqual(UNSCORED);
    expect(analyzeBuiltinSentiment('!!! 123')).toEqual(UNSCORED);
    expect(analyzeBuiltinSentiment('so disappointed')).toEqual(analyzeBuiltinSentiment('so disappointed'));
  });
});

describe('builtinSentimentEngine', () => {
  it('scores English and leaves other languages neutral', async () => {
    const out = await builtinSentimentEngine.analyzeBatch([
      { text: 'I love it, great', languageCode: 'en' },
      { text: 'Das ist schlecht', languageCode: 'de' },
    ]);
    expect(out[0]!.label).toBe('positive');
    expect(out[1]).toEqual(UNSCORED);
    expect(builtinSentimentEngine.supportsLanguage('en')).toBe(true);
    expect(builtinSentimentEngine.supportsLanguage('de')).toBe(false);
  });
});

describe('createHybridSentimentEngine', () => {
  /** A remote engine that reads en and de, answers negative, and records what it got. */
  function fakeRemote(fail?: Error) {
    const calls: SentimentInput[][] = [];
    const engine: SentimentEngine = {
      supportsLanguage: (code) => code === 'en' || code === 'de',
      async analyzeBatch(texts) {
        calls.push(texts);
        if (fail) throw fail;
        return texts.map((): SentimentResult => ({ score: -4, comparative: -1, label: 'negative', confidence: 0.9 }));
      },
    };
    return { engine, calls };
  }

  it('sends only unsure texts and languages the remote reads, in one call, and merges in order', async () => {
    const remote = fakeRemote();
    const out = await createHybridSentimentEngine(remote.engine).analyzeBatch([
      { text: 'I love this, great service, thank you', languageCode: 'en' },
      { text: 'Where is my order?', languageCode: 'en' },
      { text: 'Wo ist meine Bestellung?', languageCode: 'de' },
      { text: 'Где мой заказ?', languageCode: 'ru' },
      { text: '???', languageCode: 'en' },
    ]);
    expect(remote.calls).toEqual([[{ text: 'Where is my order?', languageCode: 'en' }, { text: 'Wo ist meine Bestellung?', languageCode: 'de' }]]);
    expect(out.map((r) => r.label)).toEqual(['positive', 'negative', 'negative', 'neutral', 'neutral']);
  });

  it('surfaces the remote engine error (typed) for the caller to handle', async () => {
    const remote = fakeRemote(new DependencyError('Comprehend failed'));
    await expect(
      createHybridSentimentEngine(remote.engine).analyzeBatch([{ text: 'Where is my order?', languageCode: 'en' }]),
    ).rejects.toBeInstanceOf(DependencyError);
  });

  it('treats exactly the neutral built-in answers as unsure', () => {
    expect(isUnsure(analyzeBuiltinSentiment('Where is my order?'))).toBe(true);
    expect(isUnsure(analyzeBuiltinSentiment('worst service ever'))).toBe(false);
  });
});
