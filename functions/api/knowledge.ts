import * as z from 'zod';
import { ConflictError, NotFoundError } from '../../shared/domain/errors';
import {
  ARTICLE_ID,
  LIMITS,
  applyUpdate,
  articleIdForIntent,
  buildArticle,
  createArticleInput,
  importArticlesInput,
  updateArticleInput,
} from '../../shared/knowledge/article';
import { decideAutoReply, DEFAULT_AUTO_REPLY_POLICY } from '../../shared/knowledge/auto-reply';
import { knowledgeIndexCache, suggestWithBodies } from '../../shared/knowledge/index-cache';
import { httpRoutes, json, parseJsonBody, parsePath, parseQuery } from '../lib/http';
import { knowledgeStore } from '../lib/services';

const store = knowledgeStore();

const idPath = z.object({ id: z.string().regex(ARTICLE_ID, 'is not an article id') });
const listQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(2048).optional(),
});
const suggestInput = z.strictObject({
  text: z.string().trim().min(1).max(LIMITS.body),
  category: z.string().trim().min(1).max(LIMITS.category).optional(),
  limit: z.number().int().min(1).max(10).default(3),
});

// The index over every article, once per container for INDEX_TTL_MS (shared with the route step).
export { INDEX_TTL_MS } from '../../shared/knowledge/index-cache';
const knowledgeIndex = knowledgeIndexCache(() => store.listAll());
const invalidateIndex = () => knowledgeIndex.invalidate();

/** Knowledge base: agents read and get suggestions; admins and managers write. */
export const handler = httpRoutes({
  'GET /v1/knowledge/articles': async (event) => {
    const q = parseQuery(event, listQuery);
    const page = await store.list({ limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}) });
    return json(200, { articles: page.items, ...(page.next ? { next: page.next } : {}) });
  },
  'POST /v1/knowledge/articles': async (event) => {
    const input = parseJsonBody(event, createArticleInput, 64 * 1024);
    const article = buildArticle(input, new Date());
    await store.create(article);
    invalidateIndex();
    return json(201, { article }, { location: `/v1/knowledge/articles/${article.id}` });
  },
  'GET /v1/knowledge/articles/{id}': async (event) => {
    const { id } = parsePath(event, idPath);
    const article = await store.get(id);
    if (!article) throw new NotFoundError(`No article ${id}`);
    return json(200, { article });
  },
  'PUT /v1/knowledge/articles/{id}': async (event) => {
    const { id } = parsePath(event, idPath);
    const input = parseJsonBody(event, updateArticleInput, 64 * 1024);
    const current = await store.get(id);
    if (!current) throw new NotFoundError(`No article ${id}`);
    if (current.version !== input.version) {
      throw new ConflictError(`Article ${id} is at version ${current.version}, not ${input.version}; read it again and retry.`);
    }
    const article = applyUpdate(current, input, new Date());
    // The store checks the version again: another writer may have come between get and put.
    await store.update(article, input.version);
    invalidateIndex();
    return json(200, { article });
  },
  'DELETE /v1/knowledge/articles/{id}': async (event) => {
    const { id } = parsePath(event, idPath);
    await store.delete(id);
    invalidateIndex();
    return { statusCode: 204 };
  },
  'POST /v1/knowledge/import': async (event) => {
    const { articles } = parseJsonBody(event, importArticlesInput, 1024 * 1024);
    const now = new Date();
    const created: string[] = [];
    const existing: string[] = [];
    // Idempotent: the id is the client's or derived from the intent, and an existing article is
    // left as it is (an admin's edits survive re-importing the seed).
    for (let i = 0; i < articles.length; i += 10) {
      const chunk = articles.slice(i, i + 10).map(({ id, ...fields }) => buildArticle(fields, now, id ?? articleIdForIntent(fields.intent!)));
      const results = await Promise.all(chunk.map((a) => store.createIfAbsent(a)));
      chunk.forEach((a, j) => (results[j] ? created : existing).push(a.id));
    }
    if (created.length) invalidateIndex();
    return json(200, { created, existing });
  },
  'POST /v1/knowledge/suggest': async (event) => {
    const input = parseJsonBody(event, suggestInput, 64 * 1024);
    const suggestions = suggestWithBodies(await knowledgeIndex.current(), input.text, {
      limit: input.limit,
      ...(input.category ? { category: input.category } : {}),
    });
    const top = suggestions[0];
    const decision = decideAutoReply(top, DEFAULT_AUTO_REPLY_POLICY, input.category);
    return json(200, {
      suggestions,
      decision: { ...decision, ...(top ? { articleId: top.articleId } : {}) },
    });
  },
});
