// Type-only: importing the zod schema at run time would add ~450 KB of zod to the bundle of
// this pure function; the tests check every result against `classificationSchema` instead.
import type { Classification } from '../domain/message';
import { classifyIntent } from './intent';
import { detectLanguage, type LanguageGuess } from './language';
import type { SentimentResult } from './sentiment';
import { UNSCORED, analyzeBuiltinSentiment, type SentimentInput } from './sentiment-engine';
import { scoreUrgency } from './urgency';

/** Below this, a non-English guess is too unsure to drop the English engine. */
const NON_ENGLISH_CONFIDENCE = 0.5;

export interface ClassifyInput {
  text: string;
  /** Email subject or similar; used for language and urgency, not sentiment (too short to judge). */
  subject?: string;
}

/** The language of a message, read from the subject and body together. */
export function detectMessageLanguage(input: ClassifyInput): LanguageGuess {
  // A one-line body ("see subject") says little; the subject adds words for language detection.
  return detectLanguage(input.subject ? `${input.subject}. ${input.text}` : input.text);
}

/**
 * What a sentiment engine gets for a message: the body, and 'en' when the language is
 * English or too unsure to call (short chat lines often are), else the detected code.
 * The built-in engine reads English only: on confidently non-English text its words
 * mislead (German "die" scores -3), so such messages stay neutral unless a remote engine
 * (Comprehend) reads the language.
 */
export function sentimentInputFor(input: ClassifyInput, language: LanguageGuess): SentimentInput {
  const english = language.code === 'en' || language.code === 'und' || language.confidence < NON_ENGLISH_CONFIDENCE;
  return { text: input.text, languageCode: english ? 'en' : language.code };
}

/**
 * Classifies one message: language, sentiment and keyword urgency.
 *
 * Pure and deterministic (no I/O, no clock), so a redelivered queue record gets the same
 * answer. Ranges hold by construction (confidence 0..1, urgency clamped to 0..100); the
 * unit tests parse results with `classificationSchema`.
 *
 * @param input - message text and optional subject.
 * @param sentiment - the sentiment of the body when a batch engine (Comprehend, hybrid)
 *   already scored it; by default the built-in engine scores it here.
 * @returns a valid `Classification` (sentiment may also carry `confidence`).
 */
export function classifyText(input: ClassifyInput, sentiment?: SentimentResult): Classification {
  const language = detectMessageLanguage(input);
  const scored = sentiment ?? builtinSentimentFor(sentimentInputFor(input, language));
  const urgency = scoreUrgency(input.text, scored, input.subject ? { subject: input.subject } : {});
  return { language, sentiment: scored, urgency, topic: topicOf(input, language) };
}

/**
 * Category and intent from the shipped (English) models. On confidently non-English text
 * their guess means nothing, so the message is out of scope and goes to human triage.
 */
function topicOf(input: ClassifyInput, language: LanguageGuess): NonNullable<Classification['topic']> {
  const result = classifyIntent(input.subject ? `${input.subject}. ${input.text}` : input.text);
  const english = sentimentInputFor(input, language).languageCode === 'en';
  return { ...result, outOfScope: result.outOfScope || !english };
}

function builtinSentimentFor(input: SentimentInput): SentimentResult {
  return input.languageCode === 'en' ? analyzeBuiltinSentiment(input.text) : UNSCORED;
}
