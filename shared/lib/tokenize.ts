/**
 * The mechanics every tokeniser here shares: Unicode normalisation, accent stripping,
 * lower-casing, apostrophe folding, digit folding, then all matches of a token pattern.
 * Each caller states its choices; the steps always run in that order, and the shipped
 * models were trained on exactly that order, so do not reorder them.
 */

/** What a tokeniser does before and while matching; every step is off unless set. */
export interface TokenizerOptions {
  /** Unicode normalisation form applied first. */
  normalization?: 'NFC' | 'NFD' | 'NFKC' | 'NFKD';
  /** Drop combining diacritical marks (U+0300–U+036F) after normalising; with NFD/NFKD this folds accents. */
  stripAccents?: boolean;
  /** Lower-case (locale-independent). */
  lowercase?: boolean;
  /** Characters rewritten to the ASCII apostrophe, e.g. "‘’`" (after lower-casing). */
  apostrophes?: string;
  /** Rewrite every ASCII digit to 0. */
  zeroDigits?: boolean;
  /** Token pattern; needs the `g` flag (all matches are returned, in order). */
  pattern: RegExp;
}

/** A compiled tokeniser: `normalise` is the text before matching, `tokenize` the tokens. */
export interface Tokenizer {
  normalise(text: string): string;
  tokenize(text: string): string[];
}

const COMBINING_MARKS = /[\u0300-\u036f]/g;
const ASCII_DIGIT = /[0-9]/g;

/** Builds a tokeniser from options (regexes compiled once); throws when `pattern` lacks the `g` flag. */
export function createTokenizer(options: TokenizerOptions): Tokenizer {
  const { normalization, stripAccents = false, lowercase = false, apostrophes = '', zeroDigits = false, pattern } = options;
  if (!pattern.global) throw new Error('createTokenizer: the token pattern needs the g flag');
  const apostrophe = apostrophes ? new RegExp(`[${escapeClass(apostrophes)}]`, 'gu') : undefined;
  const normalise = (text: string): string => {
    let s = normalization ? text.normalize(normalization) : text;
    if (stripAccents) s = s.replace(COMBINING_MARKS, '');
    if (lowercase) s = s.toLowerCase();
    if (apostrophe) s = s.replace(apostrophe, "'");
    if (zeroDigits) s = s.replace(ASCII_DIGIT, '0');
    return s;
  };
  return { normalise, tokenize: (text) => normalise(text).match(pattern) ?? [] };
}

function escapeClass(chars: string): string {
  return chars.replace(/[\\\]\[^-]/g, '\\$&');
}
