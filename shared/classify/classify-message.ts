// Type-only: importing the zod schema at run time would add ~450 KB of zod to the bundle of
// this pure function; the tests check every result against `classificationSchema` instead.
import type { Classification } from '../domain/message';
import { detectLanguage } from './language';
import { analyzeSentiment } from './sentiment';
import { scoreUrgency } from './urgency';

const NEUTRAL = { score: 0, comparative: 0, label: 'neutral' } as const;
/** Below this, a non-English guess is too unsure to drop the English lexicon. */
const NON_ENGLISH_CONFIDENCE = 0.5;

const isEnglishOrUnsure = (l: { code: string; confidence: number }) =>
  l.code === 'en' || l.code === 'und' || l.confidence < NON_ENGLISH_CONFIDENCE;

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
  // The lexicon is English: on confidently non-English text its words mislead
  // (German "die" scores -3), so such messages stay neutral until a model covers them.
  const sentiment = isEnglishOrUnsure(language) ? analyzeSentiment(text) : NEUTRAL;
  const urgency = scoreUrgency(text, sentiment, subject ? { subject } : {});
  return { language, sentiment, urgency };
}
