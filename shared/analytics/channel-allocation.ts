/**
 * Channel choice under a budget (seed 001: linear programming). Given each channel's value per
 * contact (from channel evaluation: orders × average order value per contact), cost per contact,
 * capacity (max contacts) and optional minimum share of the spend, choose contacts per channel to
 *
 *   maximise Σ value_c·x_c
 *   subject to Σ cost_c·x_c ≤ budget,  0 ≤ x_c ≤ capacity_c,
 *              cost_c·x_c ≥ minShare_c · Σ_k cost_k·x_k   (share of what is actually spent).
 *
 * Solved with javascript-lp-solver; which constraints bind is worked out here from the slacks.
 */
import solver from 'javascript-lp-solver';

/** One channel of the allocation problem. */
export interface ChannelOffer {
  channel: string;
  /** Expected value of one contact, GBP (or any unit shared with cost). */
  valuePerContact: number;
  costPerContact: number;
  /** Most contacts the channel can take; Infinity for no limit. */
  capacity: number;
  /** Least share (0..1) of the total spend this channel must get. */
  minShare?: number;
}

/** A constraint of the problem, its slack (≥ 0 when satisfied) and whether it binds. */
export interface ConstraintStatus {
  constraint: string;
  kind: 'budget' | 'capacity' | 'min-share';
  channel?: string;
  slack: number;
  binding: boolean;
}

/** The optimal allocation, or `feasible: false` when no allocation meets every constraint. */
export interface ChannelAllocation {
  feasible: boolean;
  allocation: Array<{ channel: string; contacts: number; cost: number; value: number }>;
  totalCost: number;
  totalValue: number;
  constraints: ConstraintStatus[];
}

/** Thrown for a problem that makes no sense (negative cost, shares above 1, duplicate channel). */
export class ChannelAllocationError extends Error {}

function validate(channels: readonly ChannelOffer[], budget: number): void {
  if (!(budget >= 0) || !Number.isFinite(budget)) throw new ChannelAllocationError(`budget must be a finite number ≥ 0, got ${budget}`);
  const names = new Set<string>();
  let shares = 0;
  for (const c of channels) {
    if (names.has(c.channel)) throw new ChannelAllocationError(`channel "${c.channel}" appears twice`);
    names.add(c.channel);
    if (!(c.costPerContact > 0)) throw new ChannelAllocationError(`${c.channel}: costPerContact must be > 0`);
    if (!(c.capacity >= 0)) throw new ChannelAllocationError(`${c.channel}: capacity must be ≥ 0`);
    if (!Number.isFinite(c.valuePerContact)) throw new ChannelAllocationError(`${c.channel}: valuePerContact must be a number`);
    const s = c.minShare ?? 0;
    if (!(s >= 0 && s <= 1)) throw new ChannelAllocationError(`${c.channel}: minShare must be in [0, 1]`);
    shares += s;
  }
  if (shares > 1 + 1e-12) throw new ChannelAllocationError(`minimum shares add up to ${shares}, more than 1`);
}

/**
 * Solves the allocation LP. A constraint binds when its slack is within `tolerance` (relative to
 * the budget for money constraints, to the capacity for capacities).
 */
export function allocateChannels(channels: readonly ChannelOffer[], budget: number, tolerance = 1e-7): ChannelAllocation {
  validate(channels, budget);
  // Variables are keyed by position so channel names cannot clash with constraint names.
  const key = (i: number) => `x${i}`;
  const constraints: Record<string, { max?: number; min?: number }> = { budget: { max: budget } };
  const variables: Record<string, Record<string, number>> = {};
  channels.forEach((c, i) => {
    const coeffs: Record<string, number> = { value: c.valuePerContact, budget: c.costPerContact };
    if (Number.isFinite(c.capacity)) {
      constraints[`cap${i}`] = { max: c.capacity };
      coeffs[`cap${i}`] = 1;
    }
    // cost_c·x_c − s_c·Σ cost_k·x_k ≥ 0, one row per channel with a minimum share.
    channels.forEach((m, k) => {
      const s = m.minShare ?? 0;
      if (s > 0) coeffs[`share${k}`] = (k === i ? c.costPerContact : 0) - s * c.costPerContact;
    });
    variables[key(i)] = coeffs;
  });
  channels.forEach((c, k) => {
    if ((c.minShare ?? 0) > 0) constraints[`share${k}`] = { min: 0 };
  });
  const solution = solver.Solve({ optimize: 'value', opType: 'max', constraints, variables }) as Record<string, number | boolean | undefined>;
  const empty: ChannelAllocation = { feasible: false, allocation: [], totalCost: 0, totalValue: 0, constraints: [] };
  if (!solution.feasible) return empty;

  const contacts = channels.map((_, i) => Math.max(0, Number(solution[key(i)] ?? 0)));
  const allocation = channels.map((c, i) => ({
    channel: c.channel,
    contacts: contacts[i]!,
    cost: contacts[i]! * c.costPerContact,
    value: contacts[i]! * c.valuePerContact,
  }));
  const totalCost = allocation.reduce((s, a) => s + a.cost, 0);
  const totalValue = allocation.reduce((s, a) => s + a.value, 0);
  const moneyTol = tolerance * Math.max(1, budget);
  const status: ConstraintStatus[] = [{ constraint: 'budget', kind: 'budget', slack: budget - totalCost, binding: budget - totalCost <= moneyTol }];
  channels.forEach((c, i) => {
    if (Number.isFinite(c.capacity)) {
      const slack = c.capacity - contacts[i]!;
      status.push({ constraint: `capacity:${c.channel}`, kind: 'capacity', channel: c.channel, slack, binding: slack <= tolerance * Math.max(1, c.capacity) });
    }
  });
  channels.forEach((c, i) => {
    const s = c.minShare ?? 0;
    if (s > 0) {
      const slack = allocation[i]!.cost - s * totalCost;
      status.push({ constraint: `min-share:${c.channel}`, kind: 'min-share', channel: c.channel, slack, binding: slack <= moneyTol });
    }
  });
  return { feasible: true, allocation, totalCost, totalValue, constraints: status };
}
