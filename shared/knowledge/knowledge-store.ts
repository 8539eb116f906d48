import type { Page } from '../lib/page';
import type { Article } from './article';

/** What the knowledge API needs from storage. */
export interface KnowledgeStore {
  /** Stores a new article; ConflictError when its id exists. */
  create(article: Article): Promise<void>;
  /** Stores the article unless its id exists; false when it did (import stays idempotent). */
  createIfAbsent(article: Article): Promise<boolean>;
  get(id: string): Promise<Article | undefined>;
  /** Articles in id order, one page at a time. */
  list(opts: { limit: number; cursor?: string }): Promise<Page<Article>>;
  /** Every article (for the in-memory index); pages through the whole list. */
  listAll(): Promise<Article[]>;
  /**
   * Replaces the article when its stored version is `expectedVersion`; NotFoundError when
   * absent, ConflictError when someone else updated it first.
   */
  update(article: Article, expectedVersion: number): Promise<void>;
  /** NotFoundError when absent. */
  delete(id: string): Promise<void>;
}
