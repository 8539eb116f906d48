import { createTokenizer } from '../../lib/tokenize';
import { NEGATORS, scoreLexicon } from '../sentiment';

/**
 * Features of one message for the sentiment model, in named blocks so each block can be
 * weighted and normalised on its own:
 *  - `w`: word unigrams and bigrams; words in a negator's scope (up to NEGATION_SCOPE
 *    tokens, stopped by punctuation) get a `not_` prefix, so "not good" yields `not_good`;
 *  - `c`: character n-grams inside word boundaries (" goo", "ood "), which catch typos,
 *    inflections and words the training data saw in another form ("disappoint-ing/-ed");
 *  - `l`: dense lexicon features (the AFINN score and its positive / negative parts).
 * Pure and deterministic.
 */

export interface FeatureSettings {
  /** Char n-gram lengths, inclusive. */
  charMin: number;
  charMax: number;
  /** Word n-gram lengths, inclusive (1..2 is unigrams + bigrams). */
  wordMax: number;
}

export type FeatureBlock = 'w' | 'c' | 'l';

/** Raw counts per block (`w` and `c`) and dense values (`l`). Keys carry no block prefix. */
export type BlockFeatures = Record<FeatureBlock, Map<string, number>>;

/** Tokens a negation reaches ("not at all good" still reaches good). */
export const NEGATION_SCOPE = 3;

const PUNCT = /^[!?.,;:]$/u;

// The shipped sentiment model was trained on exactly this: no Unicode normalisation, digits
// kept, at most one inner apostrophe, sentence punctuation as tokens (negation boundaries).
const TOKENIZER = createTokenizer({
  lowercase: true,
  apostrophes: '’‘`´',
  pattern: /[\p{L}\p{N}]+(?:'[\p{L}]+)?|[!?.,;:]/gu,
});

/** Lowercased word and punctuation tokens; typographic apostrophes normalised. */
export function tokenize(text: string): string[] {
  return TOKENIZER.tokenize(text);
}

function add(map: Map<string, number>, key: string, value = 1): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

/** Word tokens with negation marking; punctuation kept as boundaries for the n-grams. */
function markNegation(tokens: string[]): string[] {
  const out: string[] = [];
  let scope = 0;
  for (const t of tokens) {
    if (PUNCT.test(t)) {
      scope = 0;
      out.push(t);
    } else if (NEGATORS.has(t) || NEGATORS.has(t.replace("'", ''))) {
      scope = NEGATION_SCOPE;
      out.push(t);
    } else if (scope > 0) {
      scope--;
      out.push(`not_${t}`);
    } else {
      out.push(t);
    }
  }
  return out;
}

/**
 * Extracts the three feature blocks of a message.
 *
 * @param text - message text.
 * @param settings - n-gram lengths.
 * @returns counts per block; lexicon values squashed into -1..1 with tanh so one long
 *   rant does not dominate the linear model.
 */
export function extractFeatures(text: string, settings: FeatureSettings): BlockFeatures {
  const tokens = tokenize(text);
  const marked = markNegation(tokens);
  const w = new Map<string, number>();
  // Only "!" and "?" carry feeling; other punctuation only bounds n-grams.
  for (const t of marked) if (!PUNCT.test(t) || t === '!' || t === '?') add(w, t);
  for (let n = 2; n <= settings.wordMax; n++) {
    for (let i = 0; i + n <= marked.length; i++) {
      const gram = marked.slice(i, i + n);
      if (gram.some((t) => PUNCT.test(t))) continue;
      add(w, gram.join(' '));
    }
  }

  const c = new Map<string, number>();
  for (const t of tokens) {
    if (PUNCT.test(t)) continue;
    const padded = ` ${t} `;
    for (let n = settings.charMin; n <= settings.charMax; n++) {
      for (let i = 0; i + n <= padded.length; i++) add(c, padded.slice(i, i + n));
    }
  }

  const lex = scoreLexicon(text);
  const l = new Map<string, number>([
    ['score', Math.tanh(lex.score / 3)],
    ['pos', Math.tanh(lex.positiveSum / 3)],
    ['neg', Math.tanh(-lex.negativeSum / 3)],
    ['none', lex.positiveWords + lex.negativeWords === 0 ? 1 : 0],
  ]);
  return { w, c, l };
}
