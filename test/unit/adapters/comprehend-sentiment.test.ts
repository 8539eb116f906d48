import 'aws-sdk-client-mock-vitest/extend';
import {
  BatchDetectSentimentCommand,
  ComprehendClient,
  DetectDominantLanguageCommand,
  DetectSentimentCommand,
  InternalServerException,
  InvalidRequestException,
  TextSizeLimitExceededException,
  TooManyRequestsException,
} from '@aws-sdk/client-comprehend';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  COMPREHEND_BATCH,
  ComprehendSentiment,
  MAX_SENTIMENT_BYTES,
  toSentimentResult,
  truncateUtf8,
} from '../../../shared/adapters/comprehend-sentiment';
import { createHybridSentimentEngine } from '../../../shared/classify/sentiment-engine';
import { DependencyError, ValidationError } from '../../../shared/domain/errors';

const comprehend = mockClient(ComprehendClient);
beforeEach(() => comprehend.reset());

const bytes = (s: string) => new TextEncoder().encode(s).length;
const en = (text: string) => ({ text, languageCode: 'en' });
/** A batch answer: every document POSITIVE with Positive 0.9, Negative 0.05. */
const allPositive = (input: { TextList?: string[] }) => ({
  ResultList: (input.TextList ?? []).map((_, Index) => ({
    Index,
    Sentiment: 'POSITIVE' as const,
    SentimentScore: { Positive: 0.9, Negative: 0.05, Neutral: 0.04, Mixed: 0.01 },
  })),
  ErrorList: [],
});
const sdkError = <T>(C: new (o: { message: string; $metadata: object }) => T, message: string) => new C({ message, $metadata: {} });

describe('toSentimentResult', () => {
  it('maps each class and scores onto our shape (score = (Positive - Negative) x 5)', () => {
    // (0.9 - 0.05) * 5 = 4.25 over 3 words = 1.417
    expect(toSentimentResult('POSITIVE', { Positive: 0.9, Negative: 0.05, Neutral: 0.04, Mixed: 0.01 }, 'great stuff here')).toEqual({
      score: 4.25, comparative: 1.417, label: 'positive', confidence: 0.9,
    });
    // (0.1 - 0.7) * 5 = -3 over 2 words
    expect(toSentimentResult('NEGATIVE', { Positive: 0.1, Negative: 0.7, Neutral: 0.2, Mixed: 0 }, 'so bad')).toEqual({
      score: -3, comparative: -1.5, label: 'negative', confidence: 0.7,
    });
    expect(toSentimentResult('NEUTRAL', { Positive: 0.1, Negative: 0.1, Neutral: 0.8, Mixed: 0 }, 'where is it')).toMatchObject({
      score: 0, label: 'neutral', confidence: 0.8,
    });
    // MIXED has no label of ours: neutral, with Comprehend's Mixed score as confidence.
    expect(toSentimentResult('MIXED', { Positive: 0.3, Negative: 0.2, Neutral: 0, Mixed: 0.5 }, 'good and bad')).toEqual({
      score: 0.5, comparative: 0.167, label: 'neutral', confidence: 0.5,
    });
  });
});

describe('truncateUtf8', () => {
  it('keeps whole characters within the byte limit', () => {
    expect(truncateUtf8('hello', 10)).toBe('hello');
    expect(truncateUtf8('é'.repeat(10), 5)).toBe('éé'); // 2 bytes each: 4 fit, not 6
    expect(truncateUtf8('😀😀😀', 7)).toBe('😀'); // 4 bytes each; never half a surrogate pair
    expect(truncateUtf8('ab😀', 5)).toBe('ab');
  });
});

describe('ComprehendSentiment.analyzeBatch', () => {
  it('sends 25 texts per BatchDetectSentiment call and keeps the input order', async () => {
    comprehend.on(BatchDetectSentimentCommand).callsFake(allPositive);
    const texts = Array.from({ length: 60 }, (_, i) => en(`text number ${i}`));
    const results = await new ComprehendSentiment().analyzeBatch(texts);
    expect(comprehend).toHaveReceivedCommandTimes(BatchDetectSentimentCommand, 3);
    const sizes = comprehend.commandCalls(BatchDetectSentimentCommand).map((c) => c.args[0].input.TextList?.length);
    expect(sizes).toEqual([COMPREHEND_BATCH, COMPREHEND_BATCH, 10]);
    expect(comprehend.commandCalls(BatchDetectSentimentCommand)[2]!.args[0].input.TextList![0]).toBe('text number 50');
    expect(results).toHaveLength(60);
    expect(results.every((r) => r.label === 'positive')).toBe(true);
  });

  it('makes one call per language and never sends unsupported languages or blank texts', async () => {
    comprehend.on(BatchDetectSentimentCommand).callsFake(allPositive);
    const results = await new ComprehendSentiment().analyzeBatch([
      en('I love it'),
      { text: 'Me encanta', languageCode: 'es' },
      { text: 'Где мой заказ?', languageCode: 'ru' },
      { text: 'Mijn bestelling is niet aangekomen', languageCode: 'nl' },
      { text: 'asdf', languageCode: 'und' },
      en('   '),
      en('Great, thanks'),
    ]);
    expect(comprehend).toHaveReceivedCommandTimes(BatchDetectSentimentCommand, 2);
    expect(comprehend).toHaveReceivedCommandWith(BatchDetectSentimentCommand, { LanguageCode: 'en', TextList: ['I love it', 'Great, thanks'] });
    expect(comprehend).toHaveReceivedCommandWith(BatchDetectSentimentCommand, { LanguageCode: 'es', TextList: ['Me encanta'] });
    expect(results.map((r) => r.label)).toEqual(['positive', 'positive', 'neutral', 'neutral', 'neutral', 'neutral', 'positive']);
    expect(results[2]).toEqual({ score: 0, comparative: 0, label: 'neutral', confidence: 0 });
  });

  it('truncates each document under 5,000 bytes of UTF-8', async () => {
    comprehend.on(BatchDetectSentimentCommand).callsFake(allPositive);
    await new ComprehendSentiment().analyzeBatch([en('é'.repeat(3000)), en('short')]);
    const [long, short] = comprehend.commandCalls(BatchDetectSentimentCommand)[0]!.args[0].input.TextList!;
    expect(bytes(long!)).toBeLessThanOrEqual(MAX_SENTIMENT_BYTES);
    expect(long).toBe('é'.repeat(2499)); // 4,998 bytes
    expect(short).toBe('short');
  });

  it('retries a document the batch reports as failed on its own', async () => {
    comprehend.on(BatchDetectSentimentCommand).resolves({
      ResultList: [{ Index: 0, Sentiment: 'NEGATIVE', SentimentScore: { Positive: 0, Negative: 1, Neutral: 0, Mixed: 0 } }],
      ErrorList: [{ Index: 1, ErrorCode: 'INTERNAL_SERVER_ERROR', ErrorMessage: 'try again' }, { Index: 2, ErrorCode: 'TEXT_SIZE_LIMIT_EXCEEDED' }],
    });
    comprehend
      .on(DetectSentimentCommand, { Text: 'second' })
      .resolves({ Sentiment: 'POSITIVE', SentimentScore: { Positive: 0.8, Negative: 0, Neutral: 0.2, Mixed: 0 } })
      .on(DetectSentimentCommand, { Text: 'third' })
      .rejects(sdkError(TextSizeLimitExceededException, 'too long'));
    const results = await new ComprehendSentiment().analyzeBatch([en('first'), en('second'), en('third')]);
    expect(comprehend).toHaveReceivedCommandTimes(DetectSentimentCommand, 2);
    expect(results.map((r) => r.label)).toEqual(['negative', 'positive', 'neutral']);
    // The one Comprehend can never take stays neutral with confidence 0 rather than failing the batch.
    expect(results[2]!.confidence).toBe(0);
  });

  it('surfaces failures as typed errors', async () => {
    const engine = new ComprehendSentiment();
    comprehend.on(BatchDetectSentimentCommand).rejects(sdkError(TooManyRequestsException, 'slow down'));
    const throttled = await engine.analyzeBatch([en('hello there')]).catch((e: unknown) => e);
    expect(throttled).toBeInstanceOf(DependencyError);
    expect((throttled as Error).cause).toBeInstanceOf(TooManyRequestsException);

    comprehend.reset();
    comprehend.on(BatchDetectSentimentCommand).rejects(sdkError(InvalidRequestException, 'bad'));
    await expect(engine.analyzeBatch([en('hello there')])).rejects.toBeInstanceOf(ValidationError);

    comprehend.reset();
    comprehend.on(BatchDetectSentimentCommand).resolves({ ResultList: [], ErrorList: [{ Index: 0, ErrorCode: 'INTERNAL_SERVER_ERROR' }] });
    comprehend.on(DetectSentimentCommand).rejects(sdkError(InternalServerException, 'down'));
    await expect(engine.analyzeBatch([en('hello there')])).rejects.toBeInstanceOf(DependencyError);
  });
});

describe('ComprehendSentiment.detectLanguage', () => {
  it('returns the best-scored language, and does not send texts under 20 characters', async () => {
    comprehend.on(DetectDominantLanguageCommand).resolves({ Languages: [{ LanguageCode: 'pt', Score: 0.31 }, { LanguageCode: 'es', Score: 0.6789 }] });
    const engine = new ComprehendSentiment();
    expect(await engine.detectLanguage('¿Dónde está mi pedido, por favor?')).toEqual({ code: 'es', confidence: 0.679 });
    expect(await engine.detectLanguage('hola')).toEqual({ code: 'und', confidence: 0 });
    expect(comprehend).toHaveReceivedCommandTimes(DetectDominantLanguageCommand, 1);
  });

  it('turns an SDK failure into a DependencyError', async () => {
    comprehend.on(DetectDominantLanguageCommand).rejects(sdkError(InternalServerException, 'down'));
    await expect(new ComprehendSentiment().detectLanguage('a long enough text to be sent')).rejects.toBeInstanceOf(DependencyError);
  });
});

describe('hybrid engine over Comprehend', () => {
  it('sends only the texts the built-in engine is unsure of, in one batch', async () => {
    comprehend.on(BatchDetectSentimentCommand).callsFake(allPositive);
    const hybrid = createHybridSentimentEngine(new ComprehendSentiment());
    const results = await hybrid.analyzeBatch([
      en('This is terrible, the product is broken and useless'), // sure: negative
      en('Where is my order?'), // unsure: neutral band
      en('I love this, great service, thank you'), // sure: positive
      { text: 'Die Lieferung ist angekommen', languageCode: 'de' }, // not read by the built-in engine
      { text: 'Где мой заказ?', languageCode: 'ru' }, // read by neither: not sent
      en('!!!'), // nothing to judge: not sent
    ]);
    expect(comprehend).toHaveReceivedCommandTimes(BatchDetectSentimentCommand, 2);
    expect(comprehend).toHaveReceivedCommandWith(BatchDetectSentimentCommand, { LanguageCode: 'en', TextList: ['Where is my order?'] });
    expect(comprehend).toHaveReceivedCommandWith(BatchDetectSentimentCommand, { LanguageCode: 'de', TextList: ['Die Lieferung ist angekommen'] });
    expect(results.map((r) => r.label)).toEqual(['negative', 'positive', 'positive', 'positive', 'neutral', 'neutral']);
    expect(results[1]!.confidence).toBe(0.9); // Comprehend's answer replaced the unsure one
  });

  it('makes no call when the built-in engine is sure of everything', async () => {
    const hybrid = createHybridSentimentEngine(new ComprehendSentiment());
    await hybrid.analyzeBatch([en('I love this, great service, thank you'), en('worst service ever, I am furious')]);
    expect(comprehend).not.toHaveReceivedAnyCommand();
  });
});
