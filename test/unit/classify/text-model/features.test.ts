import { describe, expect, it } from 'vitest';
import { charTerms, normalise, spanTerms, termCounts, tokenise, wordTerms } from '../../../../shared/classify/text-model/features';

describe('text features', () => {
  it('normalises case, accents, quotes and digits', () => {
    expect(normalise('Café ’24 Ä')).toBe("cafe '00 a");
    expect(tokenise("I can’t pay £20, why?!")).toEqual(['i', "can't", 'pay', '£', '00', 'why', '?', '!']);
  });

  it('makes word n-grams in order', () => {
    expect(wordTerms(['top', 'up', 'card'], [1, 2])).toEqual(['w:top', 'w:up', 'w:card', 'w:top up', 'w:up card']);
  });

  it('makes character n-grams inside padded words, like sklearn char_wb', () => {
    expect(charTerms(['ab'], [2, 3])).toEqual(['c: a', 'c:ab', 'c:b ', 'c: ab', 'c:ab ']);
    // A short word gives itself once, however long the n-grams go.
    expect(charTerms(['a'], [2, 5])).toEqual(['c: a', 'c:a ', 'c: a ']);
  });

  it('makes character n-grams across word boundaries, like sklearn char', () => {
    // " ab c " → 2-grams " a" "ab" "b " " c" "c ", 3-grams " ab" "ab " "b c" " c ".
    expect(spanTerms(['ab', 'c'], [2, 3])).toEqual(['x: a', 'x:ab', 'x:b ', 'x: c', 'x:c ', 'x: ab', 'x:ab ', 'x:b c', 'x: c ']);
    expect(spanTerms([], [1, 5])).toEqual([]);
    expect(termCounts('b b', { wordNgrams: [1, 1], charNgrams: [0, 0], spanNgrams: [2, 2], minDf: 1, charWeight: 1 }).get('x:b ')).toBe(2);
  });

  it('counts repeated terms', () => {
    const counts = termCounts('dog dog', { wordNgrams: [1, 1], charNgrams: [0, 0], minDf: 1, charWeight: 1 });
    expect([...counts]).toEqual([['w:dog', 2]]);
  });
});
