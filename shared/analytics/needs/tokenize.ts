import { stemmer } from 'stemmer';
import { createTokenizer } from '../../lib/tokenize';
import { ENGLISH_STOP_WORDS } from './stop-words';

/**
 * Text → terms for need analysis: NFKC, lowercase, words made of Unicode letters (digits and
 * punctuation split words and are dropped, so order numbers never become terms), English stop
 * words removed, then Porter stems (the `stemmer` package, as NLTK's PorterStemmer in seed 003).
 */

const TOKENIZER = createTokenizer({
  normalization: 'NFKC',
  lowercase: true,
  apostrophes: '’‘`',
  // Letters and combining marks, with inner apostrophes kept so "don't" can meet the stop list.
  pattern: /\p{L}[\p{L}\p{M}]*(?:'\p{L}[\p{L}\p{M}]*)*/gu,
});

/** Options shared by the analysis functions. */
export interface TermOptions {
  /** Words to drop besides ENGLISH_STOP_WORDS (compared before stemming, lowercase). */
  extraStopWords?: ReadonlySet<string>;
  /** Words shorter than this are dropped (default 2). */
  minLength?: number;
  /** Stem with Porter (default true). */
  stem?: boolean;
}

/** Lowercase words of the text, stop words kept (digits and punctuation removed). */
export function tokenize(text: string): string[] {
  return TOKENIZER.tokenize(text);
}

/**
 * The terms of one text: tokens minus stop words (contractions split at the apostrophe),
 * shorter than `minLength` dropped, stemmed. `surface`, when given, collects how often
 * each stem was written as each word, so reports can show "delivery" rather than "deliveri".
 */
export function termsOf(text: string, options: TermOptions = {}, surface?: Map<string, Map<string, number>>): string[] {
  const { extraStopWords, minLength = 2, stem = true } = options;
  const terms: string[] = [];
  for (const token of tokenize(text)) {
    if (ENGLISH_STOP_WORDS.has(token) || extraStopWords?.has(token)) continue;
    // A contraction or possessive not in the list splits into its parts: "they're" → they, re
    // (both stop words), "customer's" → customer, s.
    for (const word of token.split("'")) {
      if (word.length < minLength || ENGLISH_STOP_WORDS.has(word) || extraStopWords?.has(word)) continue;
      pushTerm(word);
    }
  }
  return terms;

  function pushTerm(word: string): void {
    const term = stem ? stemmer(word) : word;
    terms.push(term);
    if (surface) {
      let forms = surface.get(term);
      if (!forms) surface.set(term, (forms = new Map()));
      forms.set(word, (forms.get(word) ?? 0) + 1);
    }
  }
}

/** The most frequent written form of each stem (ties: alphabetically first), from termsOf's `surface`. */
export function surfaceLabels(surface: ReadonlyMap<string, ReadonlyMap<string, number>>): Map<string, string> {
  const labels = new Map<string, string>();
  for (const [term, forms] of surface) {
    let best = term;
    let bestCount = -1;
    for (const [word, count] of forms) {
      if (count > bestCount || (count === bestCount && word < best)) {
        best = word;
        bestCount = count;
      }
    }
    labels.set(term, best);
  }
  return labels;
}
