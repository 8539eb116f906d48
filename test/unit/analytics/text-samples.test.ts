import { describe, expect, it } from 'vitest';
import { BUNDLE_BYTES, bundleSamples, textSampleOf, type TextSample } from '../../../shared/analytics/text-samples';
import { rollUpRouting, type CountedMessage, type HourCells, type RollupStore } from '../../../shared/analytics/routing-counts';

const sample = (i: number, text = 'where is my parcel'): TextSample => ({ messageId: `m${String(i).padStart(5, '0')}`, receivedAt: '2030-01-01T10:00:00.000Z', channel: 'chat', category: 'DELIVERY', text });

describe('text samples', () => {
  it('takes subject and text, the category only when the classifier was sure', () => {
    const m = { messageId: 'm1', receivedAt: '2030-01-01T10:00:00.000Z', channel: 'email', subject: 'Refund', text: 'x'.repeat(700) };
    const s = textSampleOf(m, { topic: { category: 'REFUND', intent: 'get_refund', confidence: 0.9, outOfScope: false } });
    expect(s).toMatchObject({ category: 'REFUND', channel: 'email' });
    expect(s.text.startsWith('Refund\nxxx')).toBe(true);
    expect(s.text).toHaveLength(600);
    expect(textSampleOf(m, { topic: { category: 'REFUND', intent: 'x', confidence: 0.2, outOfScope: true } }).category).toBe('unclassified');
    expect(textSampleOf(m, undefined).category).toBe('unclassified');
  });

  it('bundles in message-id order under the byte bound, the same bundles whatever the input order', () => {
    const many = Array.from({ length: 900 }, (_, i) => sample(i, 'ü'.repeat(300)));
    const bundles = bundleSamples([...many].reverse());
    expect(bundles.length).toBeGreaterThan(1);
    for (const b of bundles) expect(b.reduce((n, s) => n + Buffer.byteLength(JSON.stringify(s)), 0)).toBeLessThanOrEqual(BUNDLE_BYTES);
    expect(bundles.flat().map((s) => s.messageId)).toEqual(many.map((s) => s.messageId));
    expect(bundleSamples(many)).toEqual(bundles);
    expect(bundleSamples([])).toEqual([]);
  });
});

describe('rollUpRouting and text samples', () => {
  const counted = (id: string, at: string, direct = false): CountedMessage => ({
    messageId: id,
    channel: 'chat',
    receivedAt: at,
    counts: { events: [{ type: 'message.received' }], ...(direct ? { direct: true as const } : {}) },
    sample: { messageId: id, receivedAt: at, channel: 'chat', category: 'ORDER', text: `text of ${id}` },
  });
  const messages = [counted('a', '2030-01-01T10:05:00.000Z'), counted('b', '2030-01-01T10:40:00.000Z', true), counted('c', '2030-01-01T11:10:00.000Z'), counted('d', '2030-01-01T12:01:00.000Z')];
  const log = { forEachCounted: async (from: string, to: string, fn: (m: CountedMessage) => void) => messages.filter((m) => m.receivedAt >= from && m.receivedAt < to).forEach(fn) };

  it('stores a closed hour\'s samples before its counters, leaves out direct ones and open hours', async () => {
    const calls: string[] = [];
    const stored = new Map<string, string[]>();
    let last: string | undefined;
    const store: RollupStore = {
      rolledUpTo: async () => last,
      putRollup: async (hour: string, _cells: HourCells) => void calls.push(`counts ${hour}`),
      putTextSamples: async (hour, samples) => {
        calls.push(`samples ${hour}`);
        stored.set(hour, samples.map((s) => s.messageId));
      },
      markRolledUpTo: async (hour) => void (last = hour),
    };
    // 12:20: hours 10 and 11 are closed (15 minutes after they end), 12 is not.
    await rollUpRouting(log, store, new Date('2030-01-01T12:20:00.000Z'), '2030-01-01T10');
    expect(calls).toEqual(['samples 2030-01-01T10', 'counts 2030-01-01T10', 'samples 2030-01-01T11', 'counts 2030-01-01T11']);
    expect(Object.fromEntries(stored)).toEqual({ '2030-01-01T10': ['a'], '2030-01-01T11': ['c'] });
  });
});
