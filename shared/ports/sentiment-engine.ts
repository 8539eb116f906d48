import type { SentimentResult } from '../classify/sentiment';

/** One text to score, with the language the caller detected (ISO 639-1, or 'und'). */
export interface SentimentInput {
  text: string;
  languageCode: string;
}

/**
 * A sentiment engine: the built-in model, Comprehend, or the hybrid of both
 * (SENTIMENT_ENGINE=builtin|comprehend|hybrid). Batched because Comprehend bills and
 * throttles per call and the classify step gets up to ten messages at a time.
 */
export interface SentimentEngine {
  /**
   * Scores every text; results are in input order, one per input. Texts in a language
   * the engine cannot judge come back neutral with confidence 0.
   *
   * @throws SwitchboardError subclasses (DependencyError when a remote engine fails).
   */
  analyzeBatch(texts: SentimentInput[]): Promise<SentimentResult[]>;
  /** Whether the engine can judge sentiment in this language (ISO 639-1). */
  supportsLanguage(languageCode: string): boolean;
}
