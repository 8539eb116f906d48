import { describe, expect, it } from 'vitest';
import categoryJson from '../../../../shared/classify/models/support-category.json';
import intentJson from '../../../../shared/classify/models/support-intent.json';
import { classifyIntent, INTENT_CATEGORY } from '../../../../shared/classify/intent';
import { CATEGORY_TEAM, SUPPORT_CATEGORIES, teamOf, ticketTypeOf } from '../../../../shared/classify/ticket-type';

describe('classifyIntent (shipped Bitext models)', () => {
  it('ships both artifacts with the Bitext label sets, small enough to commit', () => {
    expect(categoryJson.labels).toEqual([...SUPPORT_CATEGORIES]);
    expect(intentJson.labels).toEqual(Object.keys(INTENT_CATEGORY).sort());
    for (const a of [categoryJson, intentJson]) {
      expect(JSON.stringify(a).length).toBeLessThan(1.5 * 1024 * 1024);
      expect(a.trainingData.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it.each([
    ['I want to cancel my order', 'ORDER', 'cancel_order'],
    ['I want to download my invoice', 'INVOICE', 'get_invoice'],
    ['your service is terrible and I want to complain', 'FEEDBACK', 'complaint'],
    ['how do I reset my password', 'ACCOUNT', 'recover_password'],
    ['I want to speak to a human agent', 'CONTACT', 'contact_human_agent'],
    ['what is your refund policy', 'REFUND', 'check_refund_policy'],
  ])('%s → %s / %s', (text, category, intent) => {
    const r = classifyIntent(text);
    expect(r).toMatchObject({ category, intent, outOfScope: false });
    expect(r.confidence).toBeGreaterThan(0.5);
  });

  it('keeps category and intent consistent', () => {
    for (const text of ['my parcel has not arrived', 'change the address on my order', 'hello there']) {
      const r = classifyIntent(text);
      expect(INTENT_CATEGORY[r.intent]).toBe(r.category);
      expect(r.confidence).toBeGreaterThanOrEqual(0);
      expect(r.confidence).toBeLessThanOrEqual(1);
    }
  });

  it('sends unrelated text out of scope', () => {
    expect(classifyIntent('the capital of France is Paris').outOfScope).toBe(true);
  });
});

describe('ticket type and team tables', () => {
  it('maps every category to a team', () => {
    for (const c of SUPPORT_CATEGORIES) expect(CATEGORY_TEAM[c]).toBeDefined();
    expect(teamOf('REFUND')).toBe('billing');
    expect(teamOf('ORDER', true)).toBe('triage');
    expect(teamOf('SOMETHING_NEW')).toBe('triage');
  });

  it('types complaints, reviews and inquiries', () => {
    expect(ticketTypeOf('FEEDBACK', 'complaint')).toBe('complaint');
    expect(ticketTypeOf('FEEDBACK', 'review')).toBe('feedback');
    expect(ticketTypeOf('FEEDBACK')).toBe('feedback');
    expect(ticketTypeOf('ORDER', 'track_order')).toBe('inquiry');
    expect(ticketTypeOf('PAYMENT', 'payment_issue')).toBe('inquiry');
  });
});
