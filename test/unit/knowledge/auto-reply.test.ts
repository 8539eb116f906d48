import { describe, expect, it } from 'vitest';
import { decideAutoReply, DEFAULT_AUTO_REPLY_POLICY, type AutoReplyPolicy } from '../../../shared/knowledge/auto-reply';
import type { Suggestion } from '../../../shared/knowledge/suggest';

const policy: AutoReplyPolicy = {
  categories: { ORDER: { enabled: true, minScore: 0.5, minMargin: 0.1 }, FEEDBACK: { enabled: false, minScore: 0 } },
  fallback: { enabled: false, minScore: 0.9 },
};
const suggestion = (over: Partial<Suggestion> = {}): Suggestion => ({
  articleId: 'kb_1',
  title: 'Track order',
  category: 'ORDER',
  autoReply: true,
  score: 5,
  normalisedScore: 0.6,
  margin: 0.2,
  ...over,
});

describe('decideAutoReply', () => {
  // Each row changes one condition from the auto-reply case.
  const table: Array<[string, Suggestion | undefined, string | undefined, boolean, string]> = [
    ['all conditions met', suggestion(), undefined, true, 'auto-reply'],
    ['message category agrees', suggestion(), 'ORDER', true, 'auto-reply'],
    ['score exactly at the threshold', suggestion({ normalisedScore: 0.5 }), undefined, true, 'auto-reply'],
    ['margin exactly at the minimum', suggestion({ margin: 0.1 }), undefined, true, 'auto-reply'],
    ['no suggestion', undefined, undefined, false, 'no-suggestion'],
    ['message category differs', suggestion(), 'REFUND', false, 'category-mismatch'],
    ['category disabled', suggestion({ category: 'FEEDBACK' }), undefined, false, 'category-disabled'],
    ['unlisted category uses the (disabled) fallback', suggestion({ category: 'DELIVERY' }), undefined, false, 'category-disabled'],
    ['article without category uses the fallback', suggestion({ category: undefined }), undefined, false, 'category-disabled'],
    ['article does not allow it', suggestion({ autoReply: false }), undefined, false, 'article-disallows'],
    ['score below the threshold', suggestion({ normalisedScore: 0.49 }), undefined, false, 'below-threshold'],
    ['runner-up too close', suggestion({ margin: 0.05 }), undefined, false, 'ambiguous'],
  ];
  it.each(table)('%s', (_name, s, messageCategory, autoReply, reason) => {
    const decision = decideAutoReply(s, policy, messageCategory);
    expect(decision).toMatchObject({ autoReply, reason });
    expect(decision.detail.length).toBeGreaterThan(0);
  });

  it('ships FEEDBACK off and the other categories at 0.40 score / 0.10 lead', () => {
    expect(decideAutoReply(suggestion({ category: 'FEEDBACK' }), DEFAULT_AUTO_REPLY_POLICY).reason).toBe('category-disabled');
    expect(decideAutoReply(suggestion({ normalisedScore: 0.4, margin: 0.1 }), DEFAULT_AUTO_REPLY_POLICY).autoReply).toBe(true);
    expect(decideAutoReply(suggestion({ normalisedScore: 0.39 }), DEFAULT_AUTO_REPLY_POLICY).reason).toBe('below-threshold');
    expect(decideAutoReply(suggestion({ margin: 0.09 }), DEFAULT_AUTO_REPLY_POLICY).reason).toBe('ambiguous');
  });
});
