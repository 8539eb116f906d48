import Sentiment from 'sentiment';
import { describe, expect, it } from 'vitest';
import {
  NEGATIVE_THRESHOLD,
  POSITIVE_THRESHOLD,
  analyzeSentiment,
  labelFor,
} from '../../../shared/classify/sentiment';

const score = (text: string) => analyzeSentiment(text).score;
const label = (text: string) => analyzeSentiment(text).label;

describe('analyzeSentiment', () => {
  it('labels clear praise positive and clear complaints negative', () => {
    expect(label('I love this, great service, thank you')).toBe('positive');
    expect(label('This is terrible, the product is broken and useless')).toBe('negative');
  });

  it('labels plain requests neutral with score 0', () => {
    expect(analyzeSentiment('Where is my order?')).toEqual({ score: 0, comparative: 0, label: 'neutral' });
    expect(label('Can you change the delivery address to 5 Main Street')).toBe('neutral');
  });

  it('does not read politeness and support vocabulary as praise', () => {
    expect(label('Please help, my card was stolen')).toBe('negative');
    expect(label('I would like to cancel my subscription')).toBe('neutral');
  });

  it('flips negated words', () => {
    expect(label('good')).toBe('positive');
    expect(label('not good')).toBe('negative');
    expect(label('I am never happy with your service')).toBe('negative');
    expect(label('not bad at all')).toBe('positive');
  });

  it('adds the negations the package misses on its own', () => {
    const plain = new Sentiment();
    // The package only looks one token back, at 12 negators without "didn't" or "never".
    expect(plain.analyze("I didn't like it").score).toBeGreaterThan(0);
    expect(plain.analyze('not very good').score).toBeGreaterThan(0);
    expect(label("I didn't like it")).toBe('negative');
    expect(label('not very good')).toBe('negative');
  });

  it('keeps a negation inside its clause', () => {
    expect(label('Not now. Good job on the update')).toBe('positive');
  });

  it('reads complaint idioms the word rule gets backwards', () => {
    expect(label("Don't waste your money")).toBe('negative');
    expect(label('The charger does not work')).toBe('negative');
    expect(label('It stopped working after two days')).toBe('negative');
  });

  it('strengthens words after intensifiers and weakens them after diminishers', () => {
    expect(score('very good')).toBeGreaterThan(score('good'));
    expect(score('extremely bad')).toBeLessThan(score('bad'));
    expect(score('so happy')).toBeGreaterThan(score('happy'));
    expect(score('slightly annoying')).toBeGreaterThan(score('annoying'));
    // AFINN scores "super" +3 on its own; before another word it only intensifies.
    expect(label('super slow delivery')).toBe('negative');
  });

  it('counts emphasis: capitals and repeated exclamation marks', () => {
    expect(score('This is TERRIBLE')).toBeLessThan(score('This is terrible'));
    expect(score('This is great!!!')).toBeGreaterThan(score('This is great'));
    expect(score('This is awful!!!')).toBeLessThan(score('This is awful'));
    // Capped: ten marks count like four.
    expect(score('great!!!!!!!!!!')).toBe(score('great!!!!'));
    // Emphasis alone carries no sentiment.
    expect(score('WHERE IS MY ORDER!!!')).toBe(0);
  });

  it('weighs the clause after "but" more', () => {
    expect(label('The app looks nice but it keeps crashing and it is useless')).toBe('negative');
    expect(label('Delivery was slow but the support team was great')).toBe('positive');
  });

  it('reports comparative as score per word', () => {
    const r = analyzeSentiment('The food was good');
    expect(r.comparative).toBeCloseTo(r.score / 4, 3);
  });

  it('labels with the stated thresholds', () => {
    expect(labelFor(POSITIVE_THRESHOLD)).toBe('positive');
    expect(labelFor(NEGATIVE_THRESHOLD)).toBe('negative');
    expect(labelFor((POSITIVE_THRESHOLD + NEGATIVE_THRESHOLD) / 2)).toBe('neutral');
    for (const text of ['good', 'not good', 'ok then', 'sorry', 'yes']) {
      const r = analyzeSentiment(text);
      expect(r.label).toBe(labelFor(r.score));
    }
  });

  it('leaves the shared English language of the package untouched', () => {
    analyzeSentiment('please help');
    expect(new Sentiment().analyze('please help').score).toBe(3);
  });
});
