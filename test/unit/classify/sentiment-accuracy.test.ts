import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Sentiment from 'sentiment';
import { describe, expect, it } from 'vitest';
import { loadAnchors, loadSentimentCsv } from '../../../scripts/train-sentiment-model';
import { analyzeSentiment } from '../../../shared/classify/sentiment';
import { sentimentModelInfo } from '../../../shared/classify/sentiment-engine';
import { crossValidate } from '../../../shared/classify/sentiment-model/cross-validation';
import { CV_FOLDS, CV_SEED, SENTIMENT_RECIPE } from '../../../shared/classify/sentiment-model/recipe';
import { datasetPath } from '../../fixtures/datasets';

// UCI Sentiment Labelled Sentences, our 1,600-row train split (Amazon + Yelp, 50 % positive);
// the 400-row test split is held back. Measured (see docs/sentiment-language.md):
//   lexicon alone, label (neutral counts wrong)    0.674; polarity (sign of score) 0.684
//   shipped recipe, 5-fold stratified CV (seed 1)  0.894 ± 0.016 (amazon 0.899, yelp 0.890)
const { rows } = loadSentimentCsv(datasetPath('uci_sentiment_sentences', 'train.csv'));
const { anchors } = loadAnchors(datasetPath('bitext_customer_support', 'train.csv'));

describe('sentiment accuracy on uci_sentiment_sentences/train.csv', () => {
  it('cross-validates the shipped recipe above its floor, on both sources', () => {
    const cv = crossValidate(rows, SENTIMENT_RECIPE, CV_FOLDS, CV_SEED, anchors);
    expect(cv.mean).toBeGreaterThanOrEqual(0.88);
    expect(Math.min(...cv.folds)).toBeGreaterThanOrEqual(0.85);
    expect(cv.byGroup.amazon).toBeGreaterThanOrEqual(0.87);
    expect(cv.byGroup.yelp).toBeGreaterThanOrEqual(0.87);
    // The shipped artifact was trained from this recipe on this data: its recorded CV is this one.
    expect(sentimentModelInfo.metrics.cv.mean).toBe(cv.mean);
  }, 30_000); // five trainings: ~6 s on a shared core

  it('ships a model trained on the current data file, under 1 MB', () => {
    const { sha256 } = loadSentimentCsv(datasetPath('uci_sentiment_sentences', 'train.csv'));
    expect(sentimentModelInfo.training.sha256).toBe(sha256);
    expect(sentimentModelInfo.training.rows).toBe(1600);
    const artifact = fileURLToPath(new URL('../../../shared/classify/models/sentiment-en.json', import.meta.url));
    expect(statSync(artifact).size).toBeLessThan(1_000_000);
  });

  it('keeps the lexicon alone at its measured floor, above the bare package', () => {
    expect(rows).toHaveLength(1600);
    const polarity = (score: (t: string) => number) =>
      rows.filter(({ text, positive }) => (positive ? score(text) > 0 : score(text) < 0)).length / rows.length;
    const ours = polarity((t) => analyzeSentiment(t).score);
    const labelled = rows.filter(({ text, positive }) => analyzeSentiment(text).label === (positive ? 'positive' : 'negative')).length / rows.length;
    const plain = new Sentiment();
    expect(ours).toBeGreaterThanOrEqual(0.67);
    expect(labelled).toBeGreaterThanOrEqual(0.66);
    expect(ours - polarity((t) => plain.analyze(t).score)).toBeGreaterThanOrEqual(0.04);
  });
});
