import { describe, expect, it } from 'vitest';
import { COUNTER_SHARDS, dimensionsOf, routedMessageCounters, sumCounters } from '../../../shared/analytics/counters';
import { counterUpdates } from '../../../shared/adapters/reporting-keys';

describe('pipeline counters', () => {
  const opened = routedMessageCounters({ messageId: 'msg_1', channel: 'email', receivedAt: '2026-03-07T23:59:59.000Z', openedTicket: true });

  it('counts a routed message in the hour it was received, under all and its channel', () => {
    expect(opened.hour).toBe('2026-03-07T23');
    expect(opened.shard).toBeGreaterThanOrEqual(0);
    expect(opened.shard).toBeLessThan(COUNTER_SHARDS);
    expect(opened.cells).toEqual({
      'messagesIn@all': 1,
      'messagesIn@channel#email': 1,
      'communications@all': 1,
      'communications@channel#email': 1,
      'ticketsOpened@all': 1,
      'ticketsOpened@channel#email': 1,
    });
    // The same message always lands on the same shard.
    expect(routedMessageCounters({ messageId: 'msg_1', channel: 'email', receivedAt: '2026-03-07T23:00:00.000Z', openedTicket: false }).shard).toBe(opened.shard);
  });

  it('sums cells of several items per dimension, ignoring other attributes', () => {
    const appended = routedMessageCounters({ messageId: 'msg_2', channel: 'chat', receivedAt: '2026-03-07T10:00:00.000Z', openedTicket: false });
    const totals = sumCounters([{ pk: 'x', hour: '2026-03-07T23', ...opened.cells }, { ...appended.cells }]);
    expect(totals.get('all')).toMatchObject({ messagesIn: 2, ticketsOpened: 1 });
    expect(totals.get('channel#chat')).toMatchObject({ messagesIn: 1, ticketsOpened: 0 });
    expect(totals.has('x')).toBe(false);
  });

  it('turns an increment into ADD updates of the hourly shard and of the all-time totals for ticket flows', () => {
    const updates = counterUpdates('reporting', opened);
    expect(updates).toHaveLength(2);
    const [hourly, totals] = updates.map((u) => u.Update as { Key: unknown; UpdateExpression: string; ExpressionAttributeNames: Record<string, string> });
    expect(hourly!.Key).toEqual({ pk: 'COUNTERS#2026-03-07', sk: `23#${opened.shard}` });
    expect(hourly!.UpdateExpression).toMatch(/^ADD #c0 :c0, .* SET #type = :type, #hour = :hour$/);
    expect(Object.values(totals!.ExpressionAttributeNames).filter((n) => n.includes('@')).sort()).toEqual(['ticketsOpened@all', 'ticketsOpened@channel#email']);
    const appended = routedMessageCounters({ messageId: 'msg_3', channel: 'chat', receivedAt: '2026-03-07T10:00:00.000Z', openedTicket: false });
    expect(counterUpdates('reporting', appended)).toHaveLength(1);
  });

  it('keeps each agent’s cells in an item of their own (hourly and totals), so the shared item stays bounded', () => {
    const inc = routedMessageCounters({ messageId: 'm4', channel: 'sms', receivedAt: '2026-03-07T10:00:00.000Z', openedTicket: true, team: 'billing', agent: 'key_7' });
    const updates = counterUpdates('reporting', inc).map((u) => u.Update as { Key: { pk: string; sk: string }; ExpressionAttributeNames: Record<string, string> });
    const cellsOf = (sk: string) => Object.values(updates.find((u) => u.Key.sk === sk)!.ExpressionAttributeNames).filter((n) => n.includes('@'));
    expect(updates.map((u) => u.Key.sk).sort()).toEqual([`${inc.shard}`, `${inc.shard}#agent#key_7`, `10#${inc.shard}`, `10#${inc.shard}#agent#key_7`].sort());
    expect(cellsOf(`10#${inc.shard}#agent#key_7`).every((c) => c.endsWith('@agent#key_7'))).toBe(true);
    expect(cellsOf(`10#${inc.shard}`).some((c) => c.includes('agent#'))).toBe(false);
    expect(cellsOf(`10#${inc.shard}`)).toContain('messagesIn@team#billing');
    expect(cellsOf(`${inc.shard}#agent#key_7`).sort()).toEqual(['ticketsOpened@agent#key_7']);
  });
});

describe('team and agent dimensions', () => {
  it('counts under the team and agent when known, and skips ids that cannot be keys', () => {
    const inc = routedMessageCounters({ messageId: 'm', channel: 'chat', receivedAt: '2026-03-07T10:00:00.000Z', openedTicket: false, team: 'billing', agent: 'key_7' });
    expect(Object.keys(inc.cells).filter((c) => c.startsWith('messagesIn@')).sort()).toEqual([
      'messagesIn@agent#key_7',
      'messagesIn@all',
      'messagesIn@channel#chat',
      'messagesIn@team#billing',
    ]);
    expect(dimensionsOf({ channel: 'sms', team: 'has space' })).toEqual(['all', 'channel#sms']);
  });
});
