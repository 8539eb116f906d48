import Sentiment from 'sentiment';
// The package's own AFINN-165 word list, through its CommonJS language module: importing
// labels.json as an ES module breaks under tsx (the list has a word `await`, which
// becomes `var await` in ESM). Copying it lets us adjust words without touching 'en'.
import english from 'sentiment/languages/en/index.js';

const afinn = english.labels;

/**
 * Lexicon sentiment (AFINN-165 via the `sentiment` package) tuned for support messages.
 *
 * What the package does alone: sums word scores, and flips a word's score only when the
 * token right before it is one of 12 negators (not, don't, can't, isn't...). It misses
 * "never", "no", "didn't", "wasn't", negation two words back ("not very good"), and it
 * lowercases and strips punctuation before scoring, so emphasis is lost. We register our
 * own language module with a scoring strategy that adds those, and measure emphasis
 * (CAPS words, "!") on the raw text.
 */

export type SentimentLabel = 'negative' | 'neutral' | 'positive';

export interface SentimentResult {
  /** Sum of adjusted word scores; AFINN words score -5..+5. */
  score: number;
  /** score divided by the number of word tokens, comparable across lengths. */
  comparative: number;
  label: SentimentLabel;
  /**
   * How sure the engine is of `label`, 0..1 (the built-in model's probability of its
   * binary decision, Comprehend's score). Absent from the lexicon alone.
   */
  confidence?: number;
}

/**
 * score >= this is positive. One mild AFINN word (±1: "yes", "sorry") tilts the label; a
 * negated one (±0.75) does not. On uci train ±1 gave 0.674 label accuracy, ±1.5 gave 0.631.
 */
export const POSITIVE_THRESHOLD = 1;
/** score <= this is negative. Symmetric with POSITIVE_THRESHOLD. */
export const NEGATIVE_THRESHOLD = -1;

/**
 * A negated word keeps this share of its strength, reversed: "not bad" is mildly good, less
 * than "good" (VADER's damped flip is -0.74).
 */
export const NEGATION_FACTOR = -0.75;
/** How many tokens back a negator still reaches ("not at all good", "never been so happy"). */
export const NEGATION_WINDOW = 3;
/** An ALL-CAPS sentiment word ("TERRIBLE") counts this much more. */
export const CAPS_BOOST = 0.5;
/** Each "!" after the first adds this much in the direction of the score, up to MAX_EXCLAMATIONS. */
export const EXCLAMATION_BOOST = 0.5;
export const MAX_EXCLAMATIONS = 3;
/** Weights of words before and after the first "but" of a message ("nice, but it broke"). */
export const BEFORE_BUT = 0.5;
export const AFTER_BUT = 1.5;

/** Words that flip the sentiment of the words after them; the trained model marks the same scope. */
export const NEGATORS: ReadonlySet<string> = new Set([
  'not', 'no', 'never', 'none', 'nothing', 'nobody', 'nowhere', 'neither', 'nor', 'without', 'hardly', 'barely',
  'cannot', 'cant', "can't", 'dont', "don't", 'doesnt', "doesn't", 'didnt', "didn't", 'isnt', "isn't", 'wasnt', "wasn't",
  'arent', "aren't", 'werent', "weren't", 'wont', "won't", 'wouldnt', "wouldn't", 'couldnt', "couldn't", 'shouldnt',
  "shouldn't", 'havent', "haven't", 'hasnt', "hasn't", 'hadnt', "hadn't", 'aint', "ain't", 'non',
]);

/** Multiplier added to the next sentiment word's strength (negative ones soften it). */
const INTENSIFIERS: Record<string, number> = {
  very: 0.5, really: 0.5, so: 0.5, too: 0.3, super: 0.5, extremely: 0.8, incredibly: 0.8, absolutely: 0.8,
  totally: 0.5, completely: 0.5, utterly: 0.8, truly: 0.5, highly: 0.5, most: 0.5, especially: 0.5, quite: 0.25,
  pretty: 0.25, slightly: -0.5, somewhat: -0.3, kinda: -0.3, little: -0.3,
};

/**
 * Words AFINN scores that in a support message are politeness or domain vocabulary, not
 * feeling: "Please help, my card was stolen" must not come out positive. Negators are
 * zeroed too ("no" is -1 in AFINN): their effect is the flip, not a score of their own.
 */
const NOT_SENTIMENT = [
  'quality', 'please', 'help', 'helping', 'support', 'dear', 'kind', 'want', 'wants', 'charged', 'free', 'cancel', 'cancels', 'cancelled', 'cancelling',
];

/**
 * Product and service complaint words AFINN lacks (it was built from tweets). Scores follow
 * AFINN's scale: -2 a clear complaint, -3 a strong one, +1/+2 mild praise.
 */
const SUPPORT_WORDS: Record<string, number> = {
  slow: -2, unusable: -3, junk: -3, unreliable: -2, faulty: -2, flimsy: -2, ripoff: -3, scam: -3,
  freezes: -2, crashes: -2, crashing: -2, overcharged: -3, unhelpful: -2, unresponsive: -2,
  disappointed: -2, broke: -2, broken: -2, defect: -2, sturdy: 2, reliable: 2, works: 1, worked: 1,
};

/**
 * Complaint idioms the word-by-word rule gets backwards: "don't waste" would flip waste to
 * positive, and "doesn't work" has no scored word at all. Each is replaced by one token
 * whose score is in SUPPORT_WORDS before the package tokenizes the text.
 */
const PHRASES: Array<[RegExp, string, number]> = [
  [/\b(?:do(?:es)?n'?t|do(?:es)? not|did(?:n'?t| not)|won'?t|will not|is(?:n'?t| not)|not|never|stopped|stop) (?:work|works|working|worked)\b/giu, 'zzdoesntwork', -2],
  [/\b(?:don'?t|do not|never) (?:buy|purchase|waste)\b|\bwaste of (?:money|time)\b/giu, 'zzdontbuy', -3],
  [/\b(?:my|the|our) money back\b/giu, 'zzmoneyback', -2],
  // "I'd like to return it", "it looks like it broke": a request or a comparison, not liking.
  [/\b(?:would|'d|looks?|looked|feels?|felt|seems?|seemed|sounds?|sounded) like\b/giu, 'zzlike', 0],
];

/** Marks clause punctuation so negation does not leak across it (the tokenizer drops it). */
const CLAUSE_TOKEN = 'zzclausebreak';
const CLAUSE_BREAK = ` ${CLAUSE_TOKEN} `;

const labels: Record<string, number> = { ...afinn, ...SUPPORT_WORDS };
for (const w of [...NOT_SENTIMENT, ...NEGATORS]) delete labels[w];
for (const [, token, score] of PHRASES) labels[token] = score;

// The package calls the strategy once per scored word with the same tokens array; finding
// "but" once per array keeps a long email linear instead of quadratic.
let butCache: { tokens: string[]; index: number } | undefined;
function firstBut(tokens: string[]): number {
  if (butCache?.tokens !== tokens) butCache = { tokens, index: tokens.indexOf('but') };
  return butCache.index;
}

function scoreToken(tokens: string[], cursor: number, tokenScore: number): number {
  // "super slow", "pretty bad": AFINN scores super +3 and pretty +1, but before another word
  // they only intensify it (handled when that word is scored).
  const next = tokens[cursor + 1];
  if (INTENSIFIERS[tokens[cursor] ?? ''] !== undefined && next && next !== CLAUSE_TOKEN) return 0;
  let score = tokenScore;
  let negated = false;
  for (let back = 1; back <= NEGATION_WINDOW && cursor - back >= 0; back++) {
    const prev = tokens[cursor - back] ?? '';
    if (prev === CLAUSE_TOKEN) break;
    if (NEGATORS.has(prev)) {
      negated = true;
      break;
    }
    // Only the adjacent intensifier chain counts ("very very bad"), not one three words back.
    const boost = INTENSIFIERS[prev];
    if (boost !== undefined && back <= 2) score *= 1 + boost;
  }
  if (negated) score *= NEGATION_FACTOR;
  // "Looks good, but it broke": the clause after "but" is what the writer means (VADER's rule).
  const but = firstBut(tokens);
  if (but >= 0) score *= cursor < but ? BEFORE_BUT : AFTER_BUT;
  return score;
}

const LANGUAGE = 'en-support';
// Built once per Lambda container; the package keeps registered languages in module state.
const analyzer = new Sentiment();
analyzer.registerLanguage(LANGUAGE, { labels, scoringStrategy: { apply: scoreToken } });

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** Labels a score with the thresholds above. */
export function labelFor(score: number): SentimentLabel {
  if (score >= POSITIVE_THRESHOLD) return 'positive';
  if (score <= NEGATIVE_THRESHOLD) return 'negative';
  return 'neutral';
}

/** The lexicon's view of a message, with the per-word evidence the trained model uses as features. */
export interface LexiconDetail extends SentimentResult {
  /** Words that scored above / below zero after negation, intensifiers and the "but" rule. */
  positiveWords: number;
  negativeWords: number;
  /** Sum of the positive and of the negative word scores (negativeSum <= 0). */
  positiveSum: number;
  negativeSum: number;
}

/**
 * Scores a message with the lexicon and returns the evidence behind the score.
 *
 * @param text - message text (English lexicon).
 * @returns the `analyzeSentiment` result plus per-word counts and sums. Deterministic.
 */
export function scoreLexicon(text: string): LexiconDetail {
  let phrased = text.replace(/[’‘]/gu, "'");
  for (const [re, token] of PHRASES) phrased = phrased.replace(re, ` ${token} `);
  const prepared = phrased.replace(/[.;:!?,()\n]+|\s[-–—]\s|\bbut\b/giu, (m) => `${CLAUSE_BREAK}${m}`);
  const result = analyzer.analyze(prepared, { language: LANGUAGE });

  // Emphasis on the raw text: the package lowercased it before scoring.
  // Three letters or more, so "I" and "OK" are not shouting; lookarounds because \b is ASCII-only.
  const caps = new Set((text.match(/(?<!\p{L})\p{Lu}{3,}(?!\p{L})/gu) ?? []).map((w) => w.toLowerCase()));
  let score = 0;
  let positiveWords = 0;
  let negativeWords = 0;
  let positiveSum = 0;
  let negativeSum = 0;
  for (const entry of result.calculation) {
    for (const [word, s] of Object.entries(entry)) {
      const w = caps.has(word) ? s * (1 + CAPS_BOOST) : s;
      score += w;
      if (w > 0) [positiveWords, positiveSum] = [positiveWords + 1, positiveSum + w];
      if (w < 0) [negativeWords, negativeSum] = [negativeWords + 1, negativeSum + w];
    }
  }
  const exclamations = Math.min((text.match(/!/g) ?? []).length, MAX_EXCLAMATIONS + 1) - 1;
  if (exclamations > 0 && score !== 0) score += Math.sign(score) * exclamations * EXCLAMATION_BOOST;

  const words = result.tokens.filter((t) => t !== CLAUSE_TOKEN && t !== '').length;
  score = round(score);
  return {
    score,
    comparative: words > 0 ? round(score / words) : 0,
    label: labelFor(score),
    positiveWords,
    negativeWords,
    positiveSum: round(positiveSum),
    negativeSum: round(negativeSum),
  };
}

/**
 * Scores the sentiment of an (English-lexicon) message with the lexicon alone. The
 * built-in engine (`analyzeBuiltinSentiment` in sentiment-engine.ts) combines this with
 * the trained model; urgency and the lexicon tests use this directly.
 *
 * @param text - message text; other languages mostly score neutral (AFINN is English).
 * @returns score, comparative (score per word token) and label. Deterministic.
 */
export function analyzeSentiment(text: string): SentimentResult {
  const { score, comparative, label } = scoreLexicon(text);
  return { score, comparative, label };
}
