import { describe, expect, it } from 'vitest';
import { directIncrements } from '../../../shared/analytics/routing-counts';

describe('directIncrements', () => {
  const base = { messageId: 'msg_1', channel: 'chat' as const, receivedAt: '2030-01-01T10:40:00.000Z' };

  it('puts a correction of the same hour into the one increment (a transaction touches an item once)', () => {
    const incs = directIncrements({ ...base, counts: { events: [{ type: 'message.received' }], correction: { hour: '2030-01-01T10', events: [{ type: 'ticket.outcome-revoked', outcomeScore: 1 }] } } as never });
    expect(incs).toHaveLength(1);
    expect(incs[0]!.hour).toBe('2030-01-01T10');
    expect(incs[0]!.cells['messagesIn@all']).toBe(1);
  });

  it('keeps a correction of another hour apart, on the same shard', () => {
    const incs = directIncrements({ ...base, counts: { events: [{ type: 'message.received' }], correction: { hour: '2030-01-01T08', events: [{ type: 'message.received' }] } } as never });
    expect(incs.map((i) => i.hour)).toEqual(['2030-01-01T10', '2030-01-01T08']);
    expect(incs[1]!.shard).toBe(incs[0]!.shard);
  });
});
