import {
  BatchDetectSentimentCommand,
  BatchSizeLimitExceededException,
  ComprehendClient,
  DetectDominantLanguageCommand,
  DetectSentimentCommand,
  InvalidRequestException,
  TextSizeLimitExceededException,
  UnsupportedLanguageException,
  type LanguageCode,
  type SentimentScore,
  type SentimentType,
} from '@aws-sdk/client-comprehend';
import type { LanguageGuess } from '../classify/language';
import type { SentimentResult } from '../classify/sentiment';
import { DependencyError, SwitchboardError, ValidationError } from '../domain/errors';
import type { SentimentEngine, SentimentInput } from '../classify/sentiment-engine';

/**
 * Amazon Comprehend as a SentimentEngine (SENTIMENT_ENGINE=comprehend, or the second
 * opinion of hybrid mode), plus its language detection.
 *
 * Limits (Comprehend API reference): BatchDetectSentiment takes at most 25 documents of
 * one language per call, each under 5,000 bytes of UTF-8 (DetectSentiment the same);
 * DetectDominantLanguage takes up to 100 KB and wants at least 20 characters.
 */

/** Documents per BatchDetectSentiment call. */
export const COMPREHEND_BATCH = 25;
/** "Fewer than 5,000 bytes of UTF-8" per sentiment document. */
export const MAX_SENTIMENT_BYTES = 4_999;
export const MAX_LANGUAGE_BYTES = 100_000;
/** DetectDominantLanguage needs this many characters; shorter texts answer 'und' without a call. */
export const MIN_LANGUAGE_CHARS = 20;

/** Languages DetectSentiment supports (its LanguageCode enum). Others are never sent. */
export const COMPREHEND_SENTIMENT_LANGUAGES: ReadonlySet<string> = new Set([
  'ar', 'de', 'en', 'es', 'fr', 'hi', 'it', 'ja', 'ko', 'pt', 'zh', 'zh-TW',
]);

const UNSCORED: SentimentResult = { score: 0, comparative: 0, label: 'neutral', confidence: 0 };
const round3 = (n: number) => Math.round(n * 1000) / 1000;

/**
 * Cuts a string to at most `maxBytes` of UTF-8 without splitting a character.
 *
 * @returns the longest prefix that fits.
 */
export function truncateUtf8(text: string, maxBytes: number): string {
  // encodeInto writes only whole characters and reports how much of the string it read.
  if (text.length * 3 <= maxBytes) return text;
  const { read } = new TextEncoder().encodeInto(text, new Uint8Array(maxBytes));
  return text.slice(0, read);
}

/**
 * Maps a Comprehend answer into our shape: MIXED becomes neutral (we have no mixed label);
 * score is (Positive - Negative) x 5, on the lexicon's AFINN scale so urgency weighs both
 * engines alike; confidence is Comprehend's score for the class it chose.
 */
export function toSentimentResult(sentiment: SentimentType | undefined, scores: SentimentScore | undefined, text: string): SentimentResult {
  const positive = scores?.Positive ?? 0;
  const negative = scores?.Negative ?? 0;
  const label = sentiment === 'POSITIVE' ? 'positive' : sentiment === 'NEGATIVE' ? 'negative' : 'neutral';
  const chosen =
    sentiment === 'POSITIVE' ? positive : sentiment === 'NEGATIVE' ? negative : sentiment === 'MIXED' ? scores?.Mixed : scores?.Neutral;
  const score = round3((positive - negative) * 5);
  const words = text.split(/\s+/u).filter(Boolean).length;
  return { score, comparative: words > 0 ? round3(score / words) : 0, label, confidence: round3(Math.min(1, Math.max(0, chosen ?? 0))) };
}

/** Requests Comprehend will never accept: retrying cannot help. */
const isRequestError = (err: unknown) =>
  err instanceof InvalidRequestException ||
  err instanceof TextSizeLimitExceededException ||
  err instanceof UnsupportedLanguageException ||
  err instanceof BatchSizeLimitExceededException;

/** SDK errors into typed errors: request errors are ValidationError, the rest (throttling, 5xx, network) DependencyError. */
export function translateComprehendError(err: unknown, what: string): SwitchboardError {
  if (err instanceof SwitchboardError) return err;
  if (isRequestError(err)) return Object.assign(new ValidationError(`Comprehend rejected ${what}: ${(err as Error).message}`), { cause: err });
  return new DependencyError(`Comprehend failed to ${what}`, { cause: err });
}

/** Comprehend sentiment and language detection behind our ports. */
export class ComprehendSentiment implements SentimentEngine {
  private readonly client: ComprehendClient;
  constructor(opts: { client?: ComprehendClient } = {}) {
    this.client = opts.client ?? new ComprehendClient({});
  }

  supportsLanguage(languageCode: string): boolean {
    return COMPREHEND_SENTIMENT_LANGUAGES.has(languageCode);
  }

  /**
   * Scores texts with BatchDetectSentiment, one call per language per 25 texts. Texts in
   * languages Comprehend does not support, and blank texts, are not sent (neutral,
   * confidence 0). A document the batch reports as failed is retried alone with
   * DetectSentiment; if Comprehend rejects it as a request (too long, bad language) it
   * stays neutral, any other failure throws.
   *
   * @throws DependencyError when Comprehend fails (throttled, 5xx, network); ValidationError
   *   when it rejects a whole batch as invalid.
   */
  async analyzeBatch(texts: SentimentInput[]): Promise<SentimentResult[]> {
    const results = texts.map(() => UNSCORED);
    const byLanguage = new Map<string, number[]>();
    texts.forEach((t, i) => {
      if (!this.supportsLanguage(t.languageCode) || t.text.trim() === '') return;
      byLanguage.set(t.languageCode, [...(byLanguage.get(t.languageCode) ?? []), i]);
    });
    for (const [languageCode, indices] of byLanguage) {
      for (let start = 0; start < indices.length; start += COMPREHEND_BATCH) {
        const chunk = indices.slice(start, start + COMPREHEND_BATCH);
        const textList = chunk.map((i) => truncateUtf8((texts[i] as SentimentInput).text, MAX_SENTIMENT_BYTES));
        let out;
        try {
          out = await this.client.send(
            new BatchDetectSentimentCommand({ TextList: textList, LanguageCode: languageCode as LanguageCode }),
          );
        } catch (err) {
          throw translateComprehendError(err, `score ${chunk.length} texts`);
        }
        for (const item of out.ResultList ?? []) {
          const i = chunk[item.Index ?? -1];
          if (i !== undefined) results[i] = toSentimentResult(item.Sentiment, item.SentimentScore, textList[item.Index ?? 0] ?? '');
        }
        for (const failure of out.ErrorList ?? []) {
          const k = failure.Index ?? -1;
          const i = chunk[k];
          if (i !== undefined) results[i] = await this.detectOne(textList[k] ?? '', languageCode);
        }
      }
    }
    return results;
  }

  private async detectOne(text: string, languageCode: string): Promise<SentimentResult> {
    try {
      const out = await this.client.send(new DetectSentimentCommand({ Text: text, LanguageCode: languageCode as LanguageCode }));
      return toSentimentResult(out.Sentiment, out.SentimentScore, text);
    } catch (err) {
      if (isRequestError(err)) return UNSCORED;
      throw translateComprehendError(err, 'score a text');
    }
  }

  /**
   * The dominant language of a text (DetectDominantLanguage), as our LanguageGuess.
   *
   * @returns 'und' for texts under MIN_LANGUAGE_CHARS (not sent) or with no answer.
   * @throws DependencyError / ValidationError as analyzeBatch.
   */
  async detectLanguage(text: string): Promise<LanguageGuess> {
    if (text.trim().length < MIN_LANGUAGE_CHARS) return { code: 'und', confidence: 0 };
    let out;
    try {
      out = await this.client.send(new DetectDominantLanguageCommand({ Text: truncateUtf8(text, MAX_LANGUAGE_BYTES) }));
    } catch (err) {
      throw translateComprehendError(err, 'detect the language');
    }
    const best = [...(out.Languages ?? [])].sort((a, b) => (b.Score ?? 0) - (a.Score ?? 0))[0];
    if (!best?.LanguageCode) return { code: 'und', confidence: 0 };
    return { code: best.LanguageCode, confidence: round3(Math.min(1, Math.max(0, best.Score ?? 0))) };
  }
}
