import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Sentiment from 'sentiment';
import { describe, expect, it } from 'vitest';
import { analyzeSentiment } from '../../../shared/classify/sentiment';

// The shared datasets sit beside the repository (../shared from the repo root), locally and in CI.
const TRAIN = fileURLToPath(new URL('../../../../shared/datasets/uci_sentiment_sentences/train.csv', import.meta.url));

/** RFC 4180 CSV (quoted fields may hold commas, doubled quotes and newlines). */
function parseCsv(src: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endRow = () => {
    row.push(field);
    rows.push(row);
    row = [];
    field = '';
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted && c === '"' && src[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (quoted) {
      field += c;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      endRow();
    } else if (c !== '\r') {
      field += c;
    }
  }
  if (field !== '' || row.length > 0) endRow();
  return rows;
}

function loadTrain(): Array<{ text: string; positive: boolean }> {
  const [header, ...rows] = parseCsv(readFileSync(TRAIN, 'utf8'));
  expect(header).toEqual(['text', 'label', 'source']);
  return rows.map(([text, label]) => ({ text: text ?? '', positive: label === '1' }));
}

/** Share of sentences whose score sign matches the label; a score of 0 counts as wrong. */
function polarityAccuracy(data: Array<{ text: string; positive: boolean }>, score: (t: string) => number): number {
  return data.filter(({ text, positive }) => (positive ? score(text) > 0 : score(text) < 0)).length / data.length;
}

// UCI Sentiment Labelled Sentences, our 1,600-row train split (Amazon + Yelp, 50% positive).
// It has no neutral class, so "neutral" counts as wrong. Measured:
//   polarity (sign of score)   0.684  (the bare `sentiment` package: 0.626)
//   label (our thresholds)     0.674
// About 25% of the sentences contain no lexicon word at all and score 0, which caps what a
// lexicon can reach here; the trained model of a later issue is the way past ~0.70.
describe('sentiment accuracy on uci_sentiment_sentences/train.csv', () => {
  it('finds the dataset beside the repository', () => {
    expect(existsSync(TRAIN), `${TRAIN} missing: the shared datasets must sit beside the repo`).toBe(true);
  });

  it('reaches its measured floor and beats the bare package', () => {
    const data = loadTrain();
    expect(data).toHaveLength(1600);
    const ours = polarityAccuracy(data, (t) => analyzeSentiment(t).score);
    const labelled =
      data.filter(({ text, positive }) => analyzeSentiment(text).label === (positive ? 'positive' : 'negative')).length /
      data.length;
    const plain = new Sentiment();
    const bare = polarityAccuracy(data, (t) => plain.analyze(t).score);

    expect(ours).toBeGreaterThanOrEqual(0.67);
    expect(labelled).toBeGreaterThanOrEqual(0.66);
    expect(ours - bare).toBeGreaterThanOrEqual(0.04);
  });
});
