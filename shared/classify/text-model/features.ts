import { stemmer } from 'stemmer';
import { createTokenizer } from '../../lib/tokenize';

/**
 * Text → sparse term counts: normalisation, word n-grams and character n-grams inside
 * word boundaries (as sklearn's `char_wb`). Pure and deterministic.
 */

/** How a text is cut into terms; stored in the artifact so prediction cuts the same way. */
export interface FeatureSettings {
  /** Word n-gram lengths, inclusive, e.g. [1, 2]. */
  wordNgrams: [number, number];
  /** Character n-gram lengths inside padded words, inclusive, e.g. [2, 5]; [0, 0] turns them off. */
  charNgrams: [number, number];
  /** A term must occur in at least this many training documents to enter the vocabulary. */
  minDf: number;
  /** Weight of the character block against the word block (each block is l2-normalised first). */
  charWeight: number;
  /** Also add Porter-stemmed word n-grams ("s:" terms, in the word block) of these lengths; [0, 0] for none. */
  stemNgrams?: [number, number];
  /** Character n-grams of these lengths over the whole token sequence joined by spaces, across word boundaries (sklearn's `char`; "x:" terms, their own block); absent or [0, 0] for none. */
  spanNgrams?: [number, number];
  /** Weight of the span block (default 1). */
  spanWeight?: number;
}

export const DEFAULT_FEATURES: FeatureSettings = { wordNgrams: [1, 2], stemNgrams: [1, 2], charNgrams: [2, 5], minDf: 2, charWeight: 1 };

// The shipped intent/category models were trained on exactly this tokenisation: change none of it.
const TOKENIZER = createTokenizer({
  normalization: 'NFKD',
  stripAccents: true,
  lowercase: true,
  apostrophes: '\u2018\u2019\u02bc`',
  zeroDigits: true,
  // Words with inner apostrophes, plus the few punctuation marks that carry meaning.
  pattern: /[\p{L}\p{N}]+(?:'[\p{L}]+)*|[?!$£€%]/gu,
});

/**
 * Lowercases, folds accents and typographic quotes, and maps every digit to 0 so
 * "card 4412" and "card 9931" share terms.
 */
export function normalise(text: string): string {
  return TOKENIZER.normalise(text);
}

/** Words (letters, digits, inner apostrophes) and the few punctuation marks that carry meaning. */
export function tokenise(text: string): string[] {
  return TOKENIZER.tokenize(text);
}

/** Word n-grams of lengths lo..hi, joined by a space ("card arrive"). Prefixed with "w:". */
export function wordTerms(tokens: readonly string[], [lo, hi]: [number, number], out: string[] = []): string[] {
  for (let n = lo; n <= hi; n++) {
    for (let i = 0; i + n <= tokens.length; i++) {
      out.push(`w:${n === 1 ? tokens[i] : tokens.slice(i, i + n).join(' ')}`);
    }
  }
  return out;
}

/**
 * Character n-grams of lengths lo..hi inside each word padded with spaces (" card "),
 * never across words, as sklearn's `char_wb` does. A padded word shorter than n gives
 * itself once (and longer n are skipped). Prefixed with "c:".
 */
export function charTerms(tokens: readonly string[], [lo, hi]: [number, number], out: string[] = []): string[] {
  if (lo <= 0) return out;
  for (const token of tokens) {
    const w = ` ${token} `;
    for (let n = lo; n <= hi; n++) {
      if (n >= w.length) {
        out.push(`c:${w}`);
        break;
      }
      for (let i = 0; i + n <= w.length; i++) out.push(`c:${w.slice(i, i + n)}`);
    }
  }
  return out;
}

/**
 * Character n-grams of lengths lo..hi over " tok1 tok2 … " (one space between tokens and
 * at both ends), so they cross word boundaries ("d ar" in "card arrived"). Prefixed "x:".
 */
export function spanTerms(tokens: readonly string[], [lo, hi]: [number, number], out: string[] = []): string[] {
  if (lo <= 0 || tokens.length === 0) return out;
  const s = ` ${tokens.join(' ')} `;
  for (let n = lo; n <= hi; n++) for (let i = 0; i + n <= s.length; i++) out.push(`x:${s.slice(i, i + n)}`);
  return out;
}

/** Term counts of one text, word and character terms together. */
export function termCounts(text: string, settings: FeatureSettings): Map<string, number> {
  const tokens = tokenise(text);
  const terms = wordTerms(tokens, settings.wordNgrams);
  const stems = settings.stemNgrams;
  if (stems && stems[0] > 0) {
    for (const t of wordTerms(tokens.map((w) => stemmer(w)), stems)) terms.push(`s${t.slice(1)}`);
  }
  charTerms(tokens, settings.charNgrams, terms);
  if (settings.spanNgrams) spanTerms(tokens, settings.spanNgrams, terms);
  const counts = new Map<string, number>();
  for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}
