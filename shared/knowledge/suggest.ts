import { analyze, scoreAll, selfScore, type Bm25Index } from './bm25';

/** One suggested answer for a message. */
export interface Suggestion {
  articleId: string;
  title: string;
  category?: string;
  intent?: string;
  /** Whether the article itself allows being sent without an agent. */
  autoReply: boolean;
  /** Raw BM25 (grows with the message's length; compare within one message only). */
  score: number;
  /**
   * BM25 divided by the message's self-score (BM25 of the message against a document that is
   * the message itself), capped at 1: the share of the best evidence this message could give.
   * It does not grow with the message's length, so one threshold means the same for a
   * three-word chat line and a paragraph of email. Words no article uses count against it.
   */
  normalisedScore: number;
  /**
   * `normalisedScore` minus the best `normalisedScore` of any other article (−1..1; negative
   * when a category-first ranking put this article above a better-scoring one). Confusable
   * answers (get_invoice / check_invoice) both score high; a margin tells them apart.
   */
  margin: number;
}

export interface SuggestOptions {
  /** The message's category when known (classifier or agent): its articles rank first. */
  category?: string;
  limit: number;
}

/**
 * The best-matching articles for a message, best first; articles sharing no term with it are
 * left out. With a category, articles of that category come before all others (a filter that
 * falls back to the rest of the base when the category has no match, rather than nothing).
 */
export function suggestAnswers(index: Bm25Index, text: string, options: SuggestOptions): Suggestion[] {
  const terms = analyze(text);
  const self = selfScore(index, terms);
  if (self <= 0 || options.limit <= 0) return [];
  const scores = scoreAll(index, terms);
  // The two best scores overall, for each suggestion's margin to its best rival.
  let first = 0;
  let second = 0;
  for (const x of scores) {
    if (x > first) (second = first), (first = x);
    else if (x > second) second = x;
  }
  const ranked = index.docs
    .map((doc, i) => ({ doc, score: scores[i]! }))
    .filter((r) => r.score > 0)
    .sort((a, b) => {
      const inA = options.category !== undefined && a.doc.category === options.category ? 1 : 0;
      const inB = options.category !== undefined && b.doc.category === options.category ? 1 : 0;
      return inB - inA || b.score - a.score || a.doc.id.localeCompare(b.doc.id);
    });
  return ranked.slice(0, options.limit).map(({ doc, score }) => {
    const rival = score === first ? second : first;
    const normalisedScore = Math.min(1, score / self);
    return {
      articleId: doc.id,
      title: doc.title,
      ...(doc.category !== undefined ? { category: doc.category } : {}),
      ...(doc.intent !== undefined ? { intent: doc.intent } : {}),
      autoReply: doc.autoReply,
      score,
      normalisedScore,
      margin: normalisedScore - Math.min(1, rival / self),
    };
  });
}
