import type { Article } from './article';
import { buildBm25Index, type Bm25Index } from './bm25';
import { suggestAnswers, type Suggestion } from './suggest';

/**
 * The BM25 index over every article, shared by the functions that match messages (the
 * knowledge API and the route step). Built once per container and reused for INDEX_TTL_MS,
 * so matching does not read the table for every message: another container's edits show up
 * within that time, a container's own writes drop the cache at once (`invalidate`). A
 * knowledge base is hundreds of articles, so loading them all is a few Query pages.
 */
export const INDEX_TTL_MS = 60_000;

export interface KnowledgeIndex {
  index: Bm25Index;
  /** The articles by id (bodies are not in the index). */
  articles: ReadonlyMap<string, Article>;
}

export interface KnowledgeIndexCache {
  /** The index, loading the articles when there is none or it is older than the TTL. */
  current(): Promise<KnowledgeIndex>;
  /** Forgets the index, so the next `current()` reloads. */
  invalidate(): void;
}

/**
 * A per-container cache of the knowledge index over `load` (e.g. the knowledge store's
 * `listAll`). Concurrent callers share one load; a failed load, or an empty base, is not kept.
 */
export function knowledgeIndexCache(load: () => Promise<Article[]>, ttlMs: number = INDEX_TTL_MS): KnowledgeIndexCache {
  let cached: { loadedAt: number; loading: Promise<KnowledgeIndex> } | undefined;
  return {
    current() {
      // Date.now() at call time (not a captured clock), so tests with fake timers see the TTL expire.
      const now = Date.now();
      if (!cached || now - cached.loadedAt >= ttlMs) {
        const loading = load().then((articles) => ({ index: buildBm25Index(articles), articles: new Map(articles.map((a) => [a.id, a])) }));
        cached = { loadedAt: now, loading };
        // A failed load must not be cached for a minute; nor an empty base (a new deployment
        // before its first import): reading nothing is one cheap Query, and the import is
        // then seen by the next message instead of a minute later.
        const forget = () => {
          if (cached?.loading === loading) cached = undefined;
        };
        loading.then((k) => k.articles.size === 0 && forget(), forget);
      }
      return cached.loading;
    },
    invalidate() {
      cached = undefined;
    },
  };
}

/** A suggestion with the article's body (what an auto-reply sends). */
export type AnswerSuggestion = Suggestion & { body: string };

/** The best `limit` articles for a text, with their bodies; none for an empty base. */
export function suggestWithBodies(knowledge: KnowledgeIndex, text: string, options: { category?: string; limit: number }): AnswerSuggestion[] {
  if (knowledge.index.docs.length === 0) return [];
  return suggestAnswers(knowledge.index, text, options).map((s) => ({ ...s, body: knowledge.articles.get(s.articleId)?.body ?? '' }));
}
