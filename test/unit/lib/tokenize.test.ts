import { describe, expect, it } from 'vitest';
import { tokenize as needsTokenize } from '../../../shared/analytics/needs/tokenize';
import { tokenize as sentimentTokenize } from '../../../shared/classify/sentiment-model/features';
import { normalise, tokenise as textModelTokenise } from '../../../shared/classify/text-model/features';
import { createTokenizer } from '../../../shared/lib/tokenize';

// Pins of the three tokenisers on tricky inputs. The shipped models were trained on exactly
// this output: a change here means re-training, not updating the expectation.
const APOSTROPHES = 'Don’t ‘quote’ me, it`s Bob´s ʼcard';
const ACCENTS = 'Café NAÏVE résumé Ångström';
const DIGITS = 'Card 4412, order #9931 costs $25.50 (50%)!';
const COMPAT = 'ﬁne ½ ２０２４ ٣ x²';
const EMOJI = 'Great 😀👍🏽 service!!! 👨\u200d👩\u200d👧 ok?';
const INNER = "rock'n'roll o'neil's";
const CASE = 'İstanbul STRASSE straße';
const COMBINING = 'e\u0301te\u0301';
const PUNCT = 'wait... what?! no; really: yes';
const CURRENCY = '€10 £5 ¥3 @home #tag';

describe('text-model tokenise (NFKD, accents stripped, digits → 0)', () => {
  it('normalises', () => {
    expect(normalise(APOSTROPHES)).toBe("don't 'quote' me, it's bob s 'card");
    expect(normalise(COMPAT)).toBe('fine 0⁄0 0000 ٣ x0');
  });

  it('pins tokens', () => {
    expect(textModelTokenise(APOSTROPHES)).toEqual(["don't", 'quote', 'me', "it's", 'bob', 's', 'card']);
    expect(textModelTokenise(ACCENTS)).toEqual(['cafe', 'naive', 'resume', 'angstrom']);
    expect(textModelTokenise(DIGITS)).toEqual(['card', '0000', 'order', '0000', 'costs', '$', '00', '00', '00', '%', '!']);
    expect(textModelTokenise(COMPAT)).toEqual(['fine', '0', '0', '0000', '٣', 'x0']);
    expect(textModelTokenise(EMOJI)).toEqual(['great', 'service', '!', '!', '!', 'ok', '?']);
    expect(textModelTokenise(INNER)).toEqual(["rock'n'roll", "o'neil's"]);
    expect(textModelTokenise(CASE)).toEqual(['istanbul', 'strasse', 'straße']);
    expect(textModelTokenise(COMBINING)).toEqual(['ete']);
    expect(textModelTokenise(PUNCT)).toEqual(['wait', 'what', '?', '!', 'no', 'really', 'yes']);
    expect(textModelTokenise(CURRENCY)).toEqual(['€', '00', '£', '0', '0', 'home', 'tag']);
  });
});

describe('sentiment-model tokenize (no normalisation, one inner apostrophe, sentence punctuation)', () => {
  it('pins tokens', () => {
    expect(sentimentTokenize(APOSTROPHES)).toEqual(["don't", 'quote', 'me', ',', "it's", "bob's", 'ʼcard']);
    expect(sentimentTokenize(ACCENTS)).toEqual(['café', 'naïve', 'résumé', 'ångström']);
    expect(sentimentTokenize(DIGITS)).toEqual(['card', '4412', ',', 'order', '9931', 'costs', '25', '.', '50', '50', '!']);
    expect(sentimentTokenize(COMPAT)).toEqual(['ﬁne', '½', '２０２４', '٣', 'x²']);
    expect(sentimentTokenize(EMOJI)).toEqual(['great', 'service', '!', '!', '!', 'ok', '?']);
    expect(sentimentTokenize(INNER)).toEqual(["rock'n", 'roll', "o'neil", 's']);
    expect(sentimentTokenize(CASE)).toEqual(['i', 'stanbul', 'strasse', 'straße']); // İ lower-cases to i + U+0307
    expect(sentimentTokenize(COMBINING)).toEqual(['e', 'te']);
    expect(sentimentTokenize(PUNCT)).toEqual(['wait', '.', '.', '.', 'what', '?', '!', 'no', ';', 'really', ':', 'yes']);
    expect(sentimentTokenize(CURRENCY)).toEqual(['10', '5', '3', 'home', 'tag']);
  });
});

describe('needs tokenize (NFKC, letters and marks only)', () => {
  it('pins tokens', () => {
    expect(needsTokenize(APOSTROPHES)).toEqual(["don't", 'quote', 'me', "it's", 'bob', 's', 'ʼcard']);
    expect(needsTokenize(ACCENTS)).toEqual(['café', 'naïve', 'résumé', 'ångström']);
    expect(needsTokenize(DIGITS)).toEqual(['card', 'order', 'costs']);
    expect(needsTokenize(COMPAT)).toEqual(['fine', 'x']);
    expect(needsTokenize(EMOJI)).toEqual(['great', 'service', 'ok']);
    expect(needsTokenize(INNER)).toEqual(["rock'n'roll", "o'neil's"]);
    expect(needsTokenize(CASE)).toEqual(['i\u0307stanbul', 'strasse', 'straße']);
    expect(needsTokenize(COMBINING)).toEqual(['\u00e9t\u00e9']);
    expect(needsTokenize(PUNCT)).toEqual(['wait', 'what', 'no', 'really', 'yes']);
    expect(needsTokenize(CURRENCY)).toEqual(['home', 'tag']);
  });
});

describe('createTokenizer', () => {
  it('does nothing but match when no step is set', () => {
    const t = createTokenizer({ pattern: /\S+/g });
    expect(t.normalise('Été ’ 42')).toBe('Été ’ 42');
    expect(t.tokenize('  ')).toEqual([]);
  });

  it('runs the steps in order: normalise, strip accents, lower-case, apostrophes, digits', () => {
    const t = createTokenizer({ normalization: 'NFD', stripAccents: true, lowercase: true, apostrophes: '’', zeroDigits: true, pattern: /\S+/g });
    expect(t.normalise('Été’s 42')).toBe("ete's 00");
  });

  it('treats apostrophe characters literally, even class metacharacters', () => {
    expect(createTokenizer({ apostrophes: ']^-\\', pattern: /\S/g }).normalise('a]b^c-d\\e')).toBe("a'b'c'd'e");
  });

  it('is reusable (the global pattern keeps no state between calls)', () => {
    const t = createTokenizer({ pattern: /\w+/g });
    expect(t.tokenize('a b')).toEqual(['a', 'b']);
    expect(t.tokenize('c d')).toEqual(['c', 'd']);
  });

  it('rejects a pattern without the g flag', () => {
    expect(() => createTokenizer({ pattern: /\w+/u })).toThrow(/g flag/);
  });
});
