import { describe, expect, it } from 'vitest';
import { allocateChannels, ChannelAllocationError, type ChannelOffer } from '../../../shared/analytics/channel-allocation';

// Value per pound: email 2/0.5 = 4, sms 3/1 = 3, phone 10/5 = 2. With only the budget and the
// capacities binding, the LP is a fractional knapsack: fill email, then sms, then phone.
const CHANNELS: ChannelOffer[] = [
  { channel: 'email', valuePerContact: 2, costPerContact: 0.5, capacity: 1000 },
  { channel: 'sms', valuePerContact: 3, costPerContact: 1, capacity: 300 },
  { channel: 'phone', valuePerContact: 10, costPerContact: 5, capacity: 50 },
];

const contactsOf = (r: ReturnType<typeof allocateChannels>) => Object.fromEntries(r.allocation.map((a) => [a.channel, a.contacts]));
const bindingOf = (r: ReturnType<typeof allocateChannels>) => r.constraints.filter((c) => c.binding).map((c) => c.constraint);

describe('channel allocation LP', () => {
  it('solves a three-channel problem worked by hand', () => {
    // Budget 700: email 1000 contacts (£500, value 2000), sms 200 (£200, value 600), phone 0.
    const r = allocateChannels(CHANNELS, 700);
    expect(r.feasible).toBe(true);
    const c = contactsOf(r);
    expect(c.email).toBeCloseTo(1000, 6);
    expect(c.sms).toBeCloseTo(200, 6);
    expect(c.phone).toBeCloseTo(0, 6);
    expect(r.totalCost).toBeCloseTo(700, 6);
    expect(r.totalValue).toBeCloseTo(2600, 6);
    expect(bindingOf(r)).toEqual(['budget', 'capacity:email']);
    expect(r.constraints.find((x) => x.constraint === 'capacity:sms')!.slack).toBeCloseTo(100, 6);
  });

  it('honours a minimum share and reports it binding', () => {
    // Phone must get 20% of the spend: £140 → 28 contacts (value 280); the other £560 buys
    // email 1000 (£500, 2000) and sms 60 (£60, 180): total 2460.
    const r = allocateChannels(CHANNELS.map((c) => (c.channel === 'phone' ? { ...c, minShare: 0.2 } : c)), 700);
    const c = contactsOf(r);
    expect(c.phone).toBeCloseTo(28, 6);
    expect(c.email).toBeCloseTo(1000, 6);
    expect(c.sms).toBeCloseTo(60, 6);
    expect(r.totalValue).toBeCloseTo(2460, 6);
    expect(bindingOf(r)).toEqual(['budget', 'capacity:email', 'min-share:phone']);
  });

  it('leaves budget unspent when every capacity binds', () => {
    // All capacities cost 500 + 300 + 250 = £1050 < £2000; value 2000 + 900 + 500 = 3400.
    const r = allocateChannels(CHANNELS, 2000);
    expect(r.totalCost).toBeCloseTo(1050, 6);
    expect(r.totalValue).toBeCloseTo(3400, 6);
    expect(bindingOf(r)).toEqual(['capacity:email', 'capacity:sms', 'capacity:phone']);
    expect(r.constraints[0]).toMatchObject({ constraint: 'budget', binding: false });
    expect(r.constraints[0]!.slack).toBeCloseTo(950, 6);
  });

  it('two channels without capacity limit: all money to the better value per pound', () => {
    const r = allocateChannels(
      [
        { channel: 'a', valuePerContact: 1, costPerContact: 1, capacity: Infinity },
        { channel: 'b', valuePerContact: 5, costPerContact: 2, capacity: Infinity },
      ],
      100,
    );
    expect(contactsOf(r)).toEqual({ a: 0, b: expect.closeTo(50, 6) });
    expect(r.totalValue).toBeCloseTo(250, 6);
    expect(bindingOf(r)).toEqual(['budget']);
  });

  it('spends nothing when a minimum share cannot be met, and rejects nonsense', () => {
    // Email must get half of the spend but can take no contact: any sms spend would break the share.
    const r = allocateChannels(
      [
        { channel: 'email', valuePerContact: 2, costPerContact: 0.5, capacity: 0, minShare: 0.5 },
        { channel: 'sms', valuePerContact: 3, costPerContact: 1, capacity: 300 },
      ],
      100,
    );
    expect(r.feasible).toBe(true);
    expect(r.totalCost).toBeCloseTo(0, 9);
    expect(() => allocateChannels(CHANNELS.map((c) => ({ ...c, minShare: 0.5 })), 100)).toThrow(ChannelAllocationError);
    expect(() => allocateChannels([{ ...CHANNELS[0]!, costPerContact: 0 }], 100)).toThrow(/costPerContact/);
    expect(() => allocateChannels([CHANNELS[0]!, CHANNELS[0]!], 100)).toThrow(/twice/);
  });
});
