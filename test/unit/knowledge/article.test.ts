import { describe, expect, it } from 'vitest';
import {
  applyUpdate,
  articleIdForIntent,
  buildArticle,
  createArticleInput,
  importArticlesInput,
  LIMITS,
  updateArticleInput,
} from '../../../shared/knowledge/article';

const paths = (r: { success: boolean; error?: { issues: Array<{ path: PropertyKey[] }> } }) =>
  r.error?.issues.map((i) => i.path.join('.')) ?? [];

describe('article schemas', () => {
  it('fills defaults', () => {
    expect(createArticleInput.parse({ title: ' Track order ', body: 'Use {{Order Number}}.' })).toEqual({
      title: 'Track order',
      body: 'Use {{Order Number}}.',
      tags: [],
      language: 'en',
      autoReply: false,
    });
  });

  it('enforces the length limits', () => {
    const ok = { title: 't'.repeat(LIMITS.title), body: 'b'.repeat(LIMITS.body), tags: Array(LIMITS.tags).fill('x'.repeat(LIMITS.tag)) };
    expect(createArticleInput.safeParse(ok).success).toBe(true);
    expect(paths(createArticleInput.safeParse({ ...ok, title: 't'.repeat(LIMITS.title + 1) }))).toEqual(['title']);
    expect(paths(createArticleInput.safeParse({ ...ok, body: 'b'.repeat(LIMITS.body + 1) }))).toEqual(['body']);
    expect(paths(createArticleInput.safeParse({ ...ok, tags: Array(LIMITS.tags + 1).fill('x') }))).toEqual(['tags']);
    expect(paths(createArticleInput.safeParse({ ...ok, tags: ['x'.repeat(LIMITS.tag + 1)] }))).toEqual(['tags.0']);
    expect(paths(createArticleInput.safeParse({ ...ok, title: '   ' }))).toEqual(['title']);
  });

  it('refuses unknown fields, bad labels and bad language codes', () => {
    expect(paths(createArticleInput.safeParse({ title: 't', body: 'b', id: 'kb_x' }))).toEqual(['']);
    expect(paths(createArticleInput.safeParse({ title: 't', body: 'b', category: 'NOT A LABEL' }))).toEqual(['category']);
    expect(paths(createArticleInput.safeParse({ title: 't', body: 'b', language: 'English' }))).toEqual(['language']);
    expect(createArticleInput.safeParse({ title: 't', body: 'b', category: 'MY_OWN', language: 'pt-BR' }).success).toBe(true);
  });

  it('needs the version on update', () => {
    expect(paths(updateArticleInput.safeParse({ title: 't', body: 'b' }))).toEqual(['version']);
    expect(paths(updateArticleInput.safeParse({ title: 't', body: 'b', version: 0 }))).toEqual(['version']);
  });

  it('needs an id or an intent per imported article, and at most 100', () => {
    expect(paths(importArticlesInput.safeParse({ articles: [{ title: 't', body: 'b' }] }))).toEqual(['articles.0.id']);
    expect(importArticlesInput.safeParse({ articles: [{ title: 't', body: 'b', intent: 'track_order' }] }).success).toBe(true);
    expect(importArticlesInput.safeParse({ articles: [{ title: 't', body: 'b', id: `kb_${'0'.repeat(32)}` }] }).success).toBe(true);
    expect(paths(importArticlesInput.safeParse({ articles: Array(101).fill({ title: 't', body: 'b', intent: 'x' }) }))).toEqual(['articles']);
  });
});

describe('article lifecycle', () => {
  const t0 = new Date('2026-11-22T10:00:00.000Z');
  const t1 = new Date('2026-11-22T11:00:00.000Z');

  it('starts at version 1 and moves on by one on update, replacing the fields', () => {
    const a = buildArticle(createArticleInput.parse({ title: 't', body: 'b', category: 'ORDER' }), t0);
    expect(a.id).toMatch(/^kb_[a-f0-9]{32}$/);
    expect(a).toMatchObject({ version: 1, createdAt: t0.toISOString(), updatedAt: t0.toISOString() });
    const b = applyUpdate(a, updateArticleInput.parse({ title: 't2', body: 'b2', version: 1 }), t1);
    expect(b).toEqual({ id: a.id, title: 't2', body: 'b2', tags: [], language: 'en', autoReply: false, createdAt: t0.toISOString(), updatedAt: t1.toISOString(), version: 2 });
    expect(b).not.toHaveProperty('category');
  });

  it('derives a stable id from the intent', () => {
    expect(articleIdForIntent('track_order')).toBe(articleIdForIntent('track_order'));
    expect(articleIdForIntent('track_order')).not.toBe(articleIdForIntent('track_refund'));
    expect(articleIdForIntent('track_order')).toMatch(/^kb_[a-f0-9]{32}$/);
  });
});
