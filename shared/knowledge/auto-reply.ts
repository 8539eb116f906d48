import type { Suggestion } from './suggest';

/** Auto-reply settings of one category. */
export interface CategoryPolicy {
  enabled: boolean;
  /** Lowest `normalisedScore` (0..1) that may be sent without an agent. */
  minScore: number;
  /** Lowest lead over the next-best article (`margin`); 0 when omitted. */
  minMargin?: number;
}

export interface AutoReplyPolicy {
  /** Per category; a category not listed uses `fallback`. */
  categories: Readonly<Record<string, CategoryPolicy>>;
  fallback: CategoryPolicy;
}

export type AutoReplyReason =
  | 'auto-reply'
  | 'no-suggestion'
  | 'category-mismatch'
  | 'category-disabled'
  | 'article-disallows'
  | 'below-threshold'
  | 'ambiguous';

export interface AutoReplyDecision {
  autoReply: boolean;
  /** Machine-readable reason; `detail` says the same for a person. */
  reason: AutoReplyReason;
  detail: string;
}

/**
 * Thresholds chosen with test/bench/knowledge.ts on Bitext (articles from one half, messages
 * from the other, 2-fold): the score floor keeps one-word matches away from customers, the
 * margin keeps confusable pairs (get_invoice / check_invoice) with an agent. The table is in
 * docs/knowledge-base.md.
 */
export const DEFAULT_MIN_SCORE = 0.4;
export const DEFAULT_MIN_MARGIN = 0.1;

/**
 * The shipped policy: every category may auto-reply above DEFAULT_MIN_SCORE except
 * FEEDBACK (complaints and reviews want a person). Nothing is sent until an admin also
 * sets `autoReply` on an article (seeded articles have it off).
 */
export const DEFAULT_AUTO_REPLY_POLICY: AutoReplyPolicy = {
  categories: { FEEDBACK: { enabled: false, minScore: 1 } },
  fallback: { enabled: true, minScore: DEFAULT_MIN_SCORE, minMargin: DEFAULT_MIN_MARGIN },
};

/**
 * Whether the top suggestion may be sent to the customer without an agent: only when the
 * policy of the article's category is enabled, the article allows it, and the normalised score
 * clears the category's threshold with enough lead over the next article. When the message's category is known and differs from
 * the article's, the answer goes to an agent: classifier and matcher disagree.
 */
export function decideAutoReply(
  suggestion: Suggestion | undefined,
  policy: AutoReplyPolicy,
  messageCategory?: string,
): AutoReplyDecision {
  if (!suggestion) return { autoReply: false, reason: 'no-suggestion', detail: 'No article matches the message.' };
  const category = suggestion.category;
  if (messageCategory !== undefined && category !== undefined && category !== messageCategory) {
    return {
      autoReply: false,
      reason: 'category-mismatch',
      detail: `The message is ${messageCategory} but the best article is ${category}.`,
    };
  }
  const rule = (category !== undefined ? policy.categories[category] : undefined) ?? policy.fallback;
  if (!rule.enabled) {
    return { autoReply: false, reason: 'category-disabled', detail: `Auto-reply is off for ${category ?? 'articles without a category'}.` };
  }
  if (!suggestion.autoReply) {
    return { autoReply: false, reason: 'article-disallows', detail: `Article ${suggestion.articleId} is not marked for auto-reply.` };
  }
  if (suggestion.normalisedScore < rule.minScore) {
    return {
      autoReply: false,
      reason: 'below-threshold',
      detail: `Score ${suggestion.normalisedScore.toFixed(2)} is below the threshold ${rule.minScore.toFixed(2)}.`,
    };
  }
  const minMargin = rule.minMargin ?? 0;
  if (suggestion.margin < minMargin) {
    return {
      autoReply: false,
      reason: 'ambiguous',
      detail: `The next article is too close: lead ${suggestion.margin.toFixed(2)} is below ${minMargin.toFixed(2)}.`,
    };
  }
  return {
    autoReply: true,
    reason: 'auto-reply',
    detail: `Score ${suggestion.normalisedScore.toFixed(2)} clears ${rule.minScore.toFixed(2)}, lead ${suggestion.margin.toFixed(2)} clears ${minMargin.toFixed(2)}, and the article allows auto-reply.`,
  };
}
