import { describe, expect, it } from 'vitest';
import type { Classification } from '../../../shared/domain/message';
import { mergePriority, messagePriority } from '../../../shared/routing/priority';

const classification = (urgency: number, label: Classification['sentiment']['label']): Classification => ({
  language: { code: 'en', confidence: 1 },
  sentiment: { score: 0, comparative: 0, label },
  urgency: { score: urgency, reasons: [`urgency ${urgency}`] },
});

describe('priority', () => {
  it('starts from urgency and keeps its reasons', () => {
    expect(messagePriority(classification(40, 'neutral'))).toEqual({ score: 40, reasons: ['urgency 40'] });
  });

  it('raises the priority of unhappy customers and says so', () => {
    const p = messagePriority(classification(40, 'negative'));
    expect(p.score).toBe(50);
    expect(p.reasons.at(-1)).toMatch(/negative sentiment/);
  });

  it('never exceeds 100', () => {
    expect(messagePriority(classification(95, 'negative')).score).toBe(100);
  });

  it('keeps the most urgent of a ticket and its new message', () => {
    const low = messagePriority(classification(10, 'neutral'));
    const high = messagePriority(classification(70, 'neutral'));
    expect(mergePriority(low, high)).toBe(high);
    expect(mergePriority(high, low)).toBe(high);
  });
});
