import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importArticlesInput, SUPPORT_CATEGORIES } from '../../../shared/knowledge/article';
import { buildSeedArticles, mostTypical, titleOfIntent } from '../../../shared/knowledge/seed';

describe('seed articles', () => {
  it('titles an intent', () => {
    expect(titleOfIntent('track_refund')).toBe('Track refund');
    expect(titleOfIntent('complaint')).toBe('Complaint');
  });

  it('picks the text with the highest mean overlap with the others', () => {
    // Term sets {refund, money}, {refund, money, bank}, {weather}: Jaccard 2/3 between the first two, 0
    // with "weather"; the two refund texts tie at a mean of 1/3 and the first one wins.
    expect(mostTypical(['refund money', 'refund money bank', 'weather'])).toBe(0);
    expect(mostTypical(['weather', 'refund money bank', 'refund money'])).toBe(1);
  });

  it('builds one article per intent, avoiding replies that echo an entity, with distinctive tags', () => {
    const rows = [
      { intent: 'get_refund', category: 'REFUND', instruction: 'refund my money', response: 'Your refund of 12345 is coming', entityValue: '12345' },
      { intent: 'get_refund', category: 'REFUND', instruction: 'want a refund now', response: 'We will refund {{Amount}} soon' },
      { intent: 'get_refund', category: 'REFUND', instruction: 'refund please', response: 'A refund takes days' },
      { intent: 'track_order', category: 'ORDER', instruction: 'where is my order', response: 'Track it in {{Order History}}' },
      { intent: 'track_order', category: 'ORDER', instruction: 'order status now', response: 'Track your order online' },
      { intent: 'track_order', category: 'ORDER', instruction: 'track my order now', response: 'Track it in {{Order History}} online' },
    ];
    const articles = buildSeedArticles(rows, { tags: 2 });
    expect(articles.map((a) => a.intent)).toEqual(['get_refund', 'track_order']);
    const [refund, order] = articles;
    expect(refund!.body).not.toContain('12345');
    expect(refund).toMatchObject({ title: 'Get refund', category: 'REFUND', language: 'en', autoReply: false });
    // A tag must be in at least 3 of the intent's messages: "refund" (3 of 3) and "order" (3 of 3)
    // qualify; "now" (1 and 2) and the rest do not.
    expect(refund!.tags).toEqual(['refund']);
    expect(order!.tags).toEqual(['order']);
    expect(order!.body).toContain('{{Order History}}');
  });

  it('ships a seed of the 27 Bitext intents that imports as it is', () => {
    const file = resolve(import.meta.dirname, '../../../shared/knowledge/seed-articles.json');
    const seed = importArticlesInput.parse(JSON.parse(readFileSync(file, 'utf8')));
    expect(seed.articles).toHaveLength(27);
    expect(new Set(seed.articles.map((a) => a.intent)).size).toBe(27);
    for (const a of seed.articles) {
      expect(SUPPORT_CATEGORIES).toContain(a.category);
      expect(a.autoReply).toBe(false);
      expect(a.body).not.toMatch(/\d{3,}/);
    }
  });
});
