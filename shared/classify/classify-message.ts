// Type-only: importing the zod schema at run time would add ~450 KB of zod to the bundle of
// this pure function; the tests check every result against `classificationSchema` instead.
import type { Classification } from '../domain/message';
import { detectLanguage } from './language';
import { analyzeSentiment } from './sentiment';
import { scoreUrgency } from './urgency';

export interface ClassifyInput {
  text: string;
  /** Email subject or similar; used for language and urgency, not sentiment (too short to judge). */
  subject?: string;
}

/**
 * Classifies one message: language, lexicon sentiment and keyword urgency.
 *
 * Pure and deterministic (no I/O, no clock), so a redelivered queue record gets the same
 * answer. Ranges hold by construction (confidence 0..1, urgency clamped to 0..100); the
 * unit tests parse results with `classificationSchema`.
 *
 * @param input - message text and optional subject.
 * @returns a valid `Classification`.
 */
export function classifyText(input: ClassifyInput): Classification {
  const { text, subject } = input;
  // A one-line body ("see subject") says little; the subject adds words for language detection.
  const language = detectLanguage(subject ? `${subject}. ${text}` : text);
  const sentiment = analyzeSentiment(text);
  const urgency = scoreUrgency(text, sentiment, subject ? { subject } : {});
  return { language, sentiment, urgency };
}
