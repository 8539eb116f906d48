import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildArticle, createArticleInput } from '../../../shared/knowledge/article';
import { INDEX_TTL_MS, knowledgeIndexCache, suggestWithBodies } from '../../../shared/knowledge/index-cache';

const article = buildArticle(
  createArticleInput.parse({ title: 'Track order', body: 'Follow your order in your account.', category: 'ORDER', tags: ['track'] }),
  new Date('2026-11-22T10:00:00Z'),
);

afterEach(() => vi.useRealTimers());

describe('knowledgeIndexCache', () => {
  it('loads once per TTL, shares a load in flight, and reloads after invalidate', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-22T10:00:00Z'));
    const load = vi.fn(async () => [article]);
    const cache = knowledgeIndexCache(load);
    const [a, b] = await Promise.all([cache.current(), cache.current()]);
    expect(a).toBe(b);
    expect(load).toHaveBeenCalledTimes(1);
    vi.setSystemTime(Date.now() + INDEX_TTL_MS - 1);
    await cache.current();
    expect(load).toHaveBeenCalledTimes(1);
    vi.setSystemTime(Date.now() + 1);
    await cache.current();
    expect(load).toHaveBeenCalledTimes(2);
    cache.invalidate();
    await cache.current();
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('keeps neither a failed load nor an empty base', async () => {
    const load = vi.fn<() => Promise<(typeof article)[]>>().mockRejectedValueOnce(new Error('down')).mockResolvedValueOnce([]).mockResolvedValue([article]);
    const cache = knowledgeIndexCache(load);
    await expect(cache.current()).rejects.toThrow('down');
    const empty = await cache.current();
    expect(suggestWithBodies(empty, 'track my order', { limit: 3 })).toEqual([]);
    const full = await cache.current();
    expect(load).toHaveBeenCalledTimes(3);
    expect(suggestWithBodies(full, 'track my order', { limit: 3 })).toMatchObject([{ articleId: article.id, body: article.body }]);
    await cache.current();
    expect(load).toHaveBeenCalledTimes(3);
  });
});
