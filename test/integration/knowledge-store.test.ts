import { beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoKnowledgeStore } from '../../shared/adapters/dynamo-knowledge-store';
import { ConflictError, NotFoundError } from '../../shared/domain/errors';
import { applyUpdate, buildArticle, createArticleInput, updateArticleInput } from '../../shared/knowledge/article';
import { localDocumentClient } from './local-clients';

let store: DynamoKnowledgeStore;

beforeAll(() => {
  const env = inject('localEnv');
  const doc = localDocumentClient(env);
  store = new DynamoKnowledgeStore({ tableName: env.CRM_TABLE!, client: doc });
});

// Random ids per test: the table is shared by the whole integration run.
const article = (title: string, extra: Record<string, unknown> = {}) =>
  buildArticle(createArticleInput.parse({ title, body: `Body of ${title} with {{Order Number}}`, ...extra }), new Date('2026-11-22T10:00:00.000Z'));

describe('DynamoKnowledgeStore on DynamoDB Local', () => {
  it('creates, reads, refuses a second create and lists through gsi1 page by page', async () => {
    const made = [article('one', { category: 'ORDER', tags: ['a'] }), article('two'), article('three', { autoReply: true })];
    for (const a of made) await store.create(a);
    await expect(store.create(made[0]!)).rejects.toBeInstanceOf(ConflictError);
    expect(await store.createIfAbsent(made[1]!)).toBe(false);
    expect(await store.get(made[0]!.id)).toEqual(made[0]);

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await store.list({ limit: 2, ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((a) => a.id));
      cursor = page.next;
      pages++;
    } while (cursor);
    expect(pages).toBeGreaterThanOrEqual(2);
    for (const a of made) expect(seen).toContain(a.id);
    // Ids in order, each once.
    expect([...seen].sort()).toEqual(seen);
    expect(new Set(seen).size).toBe(seen.length);
    const all = await store.listAll();
    expect(all.find((a) => a.id === made[2]!.id)).toEqual(made[2]);
  });

  it('updates on the version read, refuses a stale one, and replaces dropped fields', async () => {
    const a = article('versioned', { category: 'REFUND', intent: 'get_refund' });
    await store.create(a);
    const v2 = applyUpdate(a, updateArticleInput.parse({ title: 'versioned 2', body: 'new body', version: 1 }), new Date());
    await store.update(v2, 1);
    const read = await store.get(a.id);
    expect(read).toEqual(v2);
    expect(read).not.toHaveProperty('category');

    const stale = applyUpdate(a, updateArticleInput.parse({ title: 'lost update', body: 'x', version: 1 }), new Date());
    const err = await store.update(stale, 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as Error).message).toContain('version 2');
    expect((await store.get(a.id))!.title).toBe('versioned 2');

    const ghost = article('never stored');
    await expect(store.update({ ...ghost, version: 2 }, 1)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('deletes once, then answers not found', async () => {
    const a = article('to delete');
    await store.create(a);
    await store.delete(a.id);
    expect(await store.get(a.id)).toBeUndefined();
    await expect(store.delete(a.id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await store.listAll()).some((x) => x.id === a.id)).toBe(false);
  });
});
