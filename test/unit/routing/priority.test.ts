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
    expect(p.reasons.at(-1)).toBe('negative sentiment (+10)');
  });

  it('adds the intent, out-of-scope triage, VIP tier and waiting, each with its reason', () => {
    const topic = (intent: string, outOfScope = false) => ({ category: 'FEEDBACK', intent, confidence: 0.9, outOfScope });
    expect(messagePriority({ ...classification(20, 'neutral'), topic: topic('complaint') })).toEqual({ score: 35, reasons: ['urgency 20', 'intent complaint (+15)'] });
    expect(messagePriority({ ...classification(20, 'neutral'), topic: topic('complaint', true) }).reasons.at(-1)).toBe('classifier unsure: needs triage (+5)');
    expect(messagePriority({ ...classification(20, 'neutral'), topic: topic('review') }).score).toBe(20);
    const waited = messagePriority(classification(20, 'neutral'), {
      customerTier: 'vip',
      ticketOpenedAt: '2026-03-01T10:00:00.000Z',
      receivedAt: '2026-03-02T11:00:00.000Z',
    });
    expect(waited).toEqual({ score: 45, reasons: ['urgency 20', 'VIP customer (+15)', 'ticket open for over a day (+10)'] });
    expect(messagePriority(classification(20, 'neutral'), { ticketOpenedAt: '2026-03-01T10:00:00.000Z', receivedAt: '2026-03-01T15:00:00.000Z' }).score).toBe(25);
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
