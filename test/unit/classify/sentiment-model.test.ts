import { describe, expect, it } from 'vitest';
import { labelFromProbability } from '../../../shared/classify/sentiment-model/artifact';
import { stratifiedFolds } from '../../../shared/classify/sentiment-model/cross-validation';
import { extractFeatures, tokenize } from '../../../shared/classify/sentiment-model/features';
import { sigmoid, trainLogistic } from '../../../shared/classify/sentiment-model/logistic';
import { loadSentimentModel, trainSentimentModel } from '../../../shared/classify/sentiment-model/model';
import { SENTIMENT_RECIPE, neutralAnchors } from '../../../shared/classify/sentiment-model/recipe';

const settings = { ...SENTIMENT_RECIPE, charMin: 2, charMax: 3 };

describe('sentiment features', () => {
  it('tokenizes words and feeling punctuation, lowercased, with typographic apostrophes', () => {
    expect(tokenize('It DOESN’T work!! ok.')).toEqual(["it", "doesn't", 'work', '!', '!', 'ok', '.']);
  });

  it('marks up to three words after a negator, stopping at punctuation', () => {
    const { w } = extractFeatures('not good at all really. great', settings);
    expect([...w.keys()]).toEqual(expect.arrayContaining(['not', 'not_good', 'not_at', 'not_all', 'really', 'great', 'not not_good']));
    expect(w.has('good')).toBe(false);
    // No bigram across the full stop.
    expect(w.has('really great')).toBe(false);
  });

  it('counts char n-grams inside padded words', () => {
    // " ab " -> 2-grams " a", "ab", "b "; 3-grams " ab", "ab "
    expect([...extractFeatures('ab', settings).c.keys()].sort()).toEqual([' a', ' ab', 'ab', 'ab ', 'b '].sort());
  });

  it('adds the lexicon as squashed dense features', () => {
    const { l } = extractFeatures('good', settings); // AFINN good = +3
    expect(l.get('score')).toBeCloseTo(Math.tanh(1), 6);
    expect(l.get('pos')).toBeCloseTo(Math.tanh(1), 6);
    expect(l.get('neg')).toBeCloseTo(0, 9);
    expect(l.get('none')).toBe(0);
    expect(extractFeatures('the box', settings).l.get('none')).toBe(1);
  });
});

describe('logistic regression', () => {
  it('separates a feature that only positives have from one only negatives have', () => {
    const xs = [{ index: [0], value: [1] }, { index: [1], value: [1] }, { index: [0], value: [1] }, { index: [1], value: [1] }];
    const model = trainLogistic(xs, [1, 0, 1, 0], 2, { l2: 0, epochs: 50, learningRate: 0.5, seed: 1 });
    expect(model.weights[0]).toBeGreaterThan(1);
    expect(model.weights[1]).toBeLessThan(-1);
    expect(sigmoid(model.bias + model.weights[0]!)).toBeGreaterThan(0.8);
  });

  it('keeps a feature seen only with the soft target 0.5 near zero', () => {
    const xs = [{ index: [0], value: [1] }, { index: [1], value: [1] }, { index: [2], value: [1] }];
    const model = trainLogistic(xs, [1, 0, 0.5], 3, { l2: 0, epochs: 200, learningRate: 0.5, seed: 1 });
    expect(Math.abs(sigmoid(model.bias + model.weights[2]!) - 0.5)).toBeLessThan(0.05);
  });

  it('has a stable sigmoid at the extremes', () => {
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoid(-1000)).toBe(0);
    expect(sigmoid(1000)).toBe(1);
  });
});

describe('sentiment model', () => {
  const data = [
    { text: 'good product', positive: true },
    { text: 'great phone', positive: true },
    { text: 'bad product', positive: false },
    { text: 'awful phone', positive: false },
  ];

  it('learns a toy corpus and scores unseen combinations', () => {
    const predictor = loadSentimentModel(trainSentimentModel(data, settings));
    expect(predictor.probability('great product')).toBeGreaterThan(0.5);
    expect(predictor.probability('bad phone')).toBeLessThan(0.5);
  });

  it('is deterministic and survives a JSON round trip unchanged', () => {
    const a = trainSentimentModel(data, settings);
    expect(trainSentimentModel(data, settings)).toEqual(a);
    const fromJson = loadSentimentModel(JSON.parse(JSON.stringify(a)));
    expect(fromJson.probability('good phone')).toBe(loadSentimentModel(a).probability('good phone'));
  });
});

describe('stratified folds', () => {
  it('spreads every stratum evenly over the folds, the same way for the same seed', () => {
    const strata = [...Array(5).fill('a/1'), ...Array(5).fill('b/0')] as string[];
    const folds = stratifiedFolds(strata, 5, 42);
    for (let f = 0; f < 5; f++) {
      expect(strata.filter((s, i) => s === 'a/1' && folds[i] === f)).toHaveLength(1);
      expect(strata.filter((s, i) => s === 'b/0' && folds[i] === f)).toHaveLength(1);
    }
    expect(stratifiedFolds(strata, 5, 42)).toEqual(folds);
    expect(stratifiedFolds(strata, 5, 43)).not.toEqual(folds);
  });
});

describe('neutral rule', () => {
  it('is neutral inside the band, wider without lexicon evidence', () => {
    expect(labelFromProbability(0.55, 1)).toBe('neutral');
    expect(labelFromProbability(0.61, 1)).toBe('positive');
    expect(labelFromProbability(0.39, 1)).toBe('negative');
    expect(labelFromProbability(0.8, 0)).toBe('neutral');
    expect(labelFromProbability(0.86, 0)).toBe('positive');
    expect(labelFromProbability(0.14, 0)).toBe('negative');
  });

  it('takes neutral anchors from every category but feedback', () => {
    const rows = [
      { instruction: 'cancel order 1', category: 'ORDER' },
      { instruction: 'you are awful', category: 'FEEDBACK' },
      { instruction: 'where is my refund', category: 'REFUND' },
      { instruction: '', category: 'ORDER' },
    ];
    expect(neutralAnchors(rows, 10).map((a) => a.text)).toEqual(['cancel order 1', 'where is my refund']);
    expect(neutralAnchors(rows, 1)).toEqual([{ text: 'cancel order 1', positive: false, neutral: true }]);
  });
});
