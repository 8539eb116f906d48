import { describe, expect, it, vi } from 'vitest';
import { activityOf } from '../../../shared/analytics/customer-activity';
import type { FirstContact } from '../../../shared/domain/ticket';

/** A marker store as the adapter behaves: a scope's marker is claimed once, by the first message. */
function markers(existing: Record<string, string> = {}) {
  const claimed = new Map(Object.entries(existing));
  const claimActivity = vi.fn(async (i: { customerId: string; scopes: readonly string[]; month: string; previousMonth: string; by: string }) => {
    const active: string[] = [];
    for (const s of i.scopes) {
      const k = `${i.month}|${s}`;
      if (!claimed.has(k)) claimed.set(k, i.by);
      if (claimed.get(k) === i.by) active.push(s);
    }
    return { active, retained: active.filter((s) => claimed.has(`${i.previousMonth}|${s}`)) };
  });
  return { claimActivity, claimed };
}

const first: FirstContact = { messageId: 'm1', channel: 'chat', at: '2030-03-10T10:00:00.000Z' };
const input = (messageId: string, channel: 'chat' | 'email', at: string, extra: { newCustomer?: boolean; firstContact?: FirstContact } = {}) => ({ customerId: 'cus_1', channel, at, timeZone: 'UTC', messageId, ...extra });

describe('customer activity', () => {
  it('the message that created the customer counts its scopes without a marker write, on its rerun too', async () => {
    const store = markers();
    expect(await activityOf(store, input('m1', 'chat', first.at, { newCustomer: true, firstContact: first }))).toEqual({ active: ['all', 'channel#chat'] });
    expect(await activityOf(store, input('m1', 'chat', first.at, { newCustomer: false, firstContact: first }))).toEqual({ active: ['all', 'channel#chat'] });
    expect(store.claimActivity).not.toHaveBeenCalled();
  });

  it('later messages of the first month claim only scopes the first contact did not stand for', async () => {
    const store = markers();
    expect(await activityOf(store, input('m2', 'chat', '2030-03-20T10:00:00.000Z', { firstContact: first }))).toEqual({});
    expect(store.claimActivity).not.toHaveBeenCalled();
    expect(await activityOf(store, input('m3', 'email', '2030-03-21T10:00:00.000Z', { firstContact: first }))).toEqual({ active: ['channel#email'] });
    expect(store.claimActivity).toHaveBeenLastCalledWith(expect.objectContaining({ scopes: ['channel#email'], month: '2030-03' }));
    expect(await activityOf(store, input('m4', 'email', '2030-03-22T10:00:00.000Z', { firstContact: first }))).toEqual({});
  });

  it('the next month claims every scope, retained where the first contact stood for the month before', async () => {
    const store = markers({ '2030-03|channel#email': 'm3' });
    expect(await activityOf(store, input('m5', 'chat', '2030-04-02T10:00:00.000Z', { firstContact: first }))).toEqual({ active: ['all', 'channel#chat'], retained: ['all', 'channel#chat'] });
    expect(await activityOf(store, input('m6', 'email', '2030-04-03T10:00:00.000Z', { firstContact: first }))).toEqual({ active: ['channel#email'], retained: ['channel#email'] });
    // Two months on, the first contact says nothing about the month before.
    expect(await activityOf(store, input('m7', 'chat', '2030-05-02T10:00:00.000Z', { firstContact: first }))).toEqual({ active: ['all', 'channel#chat'], retained: ['all', 'channel#chat'] });
  });

  it('a customer without a first contact (made before, or not by a message) claims markers as before', async () => {
    const store = markers();
    expect(await activityOf(store, input('m8', 'chat', '2030-03-20T10:00:00.000Z'))).toEqual({ active: ['all', 'channel#chat'] });
    expect(await activityOf(store, input('m9', 'chat', '2030-03-21T10:00:00.000Z'))).toEqual({});
  });
});

describe('customer activity memo', () => {
  it('remembers the message holding the markers, so that message\'s own rerun still counts them', async () => {
    const { ActivityMemo } = await import('../../../shared/analytics/customer-activity');
    const memo = new ActivityMemo();
    // M1 claimed both markers elsewhere (another container), then died before its routing write.
    const claimActivity = vi.fn(async (i: { by: string }) => (i.by === 'm1' ? { active: ['all', 'channel#chat'], retained: [] } : { active: [], retained: [], heldBy: 'm1' }));
    const store = { claimActivity };
    expect(await activityOf(store, input('m2', 'chat', '2030-03-20T10:00:00.000Z'), memo)).toEqual({});
    expect(await activityOf(store, input('m3', 'chat', '2030-03-21T10:00:00.000Z'), memo)).toEqual({});
    expect(claimActivity).toHaveBeenCalledTimes(1);
    expect(await activityOf(store, input('m1', 'chat', '2030-03-20T09:00:00.000Z'), memo)).toEqual({ active: ['all', 'channel#chat'] });
  });
});
