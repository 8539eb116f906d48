import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyseNeeds } from '../../../../shared/analytics/needs/analyse';
import { SUPPORT_STOP_WORDS } from '../../../../shared/analytics/needs/stop-words';
import { parseCsv } from '../../../../shared/lib/csv';
import { datasetPath } from '../../../fixtures/datasets';

describe('need analysis on Bitext train', () => {
  it('finds each main category by its own word and topics well above one cluster', () => {
    const rows = parseCsv(readFileSync(datasetPath('bitext_customer_support', 'train.csv'), 'utf8'));
    const messages = rows.map((r) => ({ text: r.instruction ?? '', category: r.category ?? '', channel: 'chat' }));
    const result = analyseNeeds(messages, { extraStopWords: SUPPORT_STOP_WORDS, lda: { k: 11, iterations: 100 } });
    const top = (category: string) => result.groups.find((g) => g.category === category)?.distinctive[0]?.label;
    expect(top('ACCOUNT')).toBe('account');
    expect(top('ORDER')).toBe('order');
    expect(top('REFUND')).toBe('refund');
    expect(top('INVOICE')).toBe('invoice');
    expect(top('PAYMENT')).toBe('payment');
    expect(top('NEWSLETTER')).toBe('newsletter');
    expect(result.topics).toHaveLength(11);
    // the largest topic holds well under the whole corpus: topics split the messages
    expect(Math.max(...result.topics.map((t) => t.messages))).toBeLessThan(messages.length * 0.4);
  });
});
