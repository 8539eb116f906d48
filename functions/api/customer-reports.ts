import * as z from 'zod';
import { allocateChannels, ChannelAllocationError } from '../../shared/analytics/channel-allocation';
import { NotFoundError, SwitchboardError } from '../../shared/domain/errors';
import { httpRoutes, json, parseJsonBody, parsePath } from '../lib/http';
import { customerModelStore } from '../lib/services';

const store = customerModelStore();

/** The allocation problem is well formed but has no solution. */
class InfeasibleError extends SwitchboardError {
  override readonly status = 422;
  override readonly code = 'infeasible';
}

const money = z.number().finite();
const channelOffer = z.strictObject({
  channel: z.string().trim().min(1, 'name the channel').max(64),
  valuePerContact: money,
  costPerContact: money.positive('must be more than 0'),
  /** Contacts the channel can take; omitted or null = no limit. */
  capacity: z.number().min(0, 'must be 0 or more').nullable().optional(),
  minShare: z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1').optional(),
});
const allocationInput = z.strictObject({
  budget: money.min(0, 'must be 0 or more'),
  channels: z
    .array(channelOffer)
    .min(1, 'give at least one channel')
    .max(50)
    .refine((cs) => new Set(cs.map((c) => c.channel)).size === cs.length, 'channel names must be unique'),
});

const customerPath = z.strictObject({ customerId: z.string().min(1).max(128) });

/** Managers' customer reports (models stored by the customer-models job) and channel allocation. */
export const handler = httpRoutes({
  'GET /v1/reports/customers': async () => {
    const summary = await store.getLatestSummary();
    if (!summary) throw new NotFoundError('No customer models yet: the customer-models job runs daily once orders are imported (POST /v1/orders/import).');
    return json(200, { summary });
  },
  'GET /v1/reports/customers/{customerId}': async (event) => {
    const { customerId } = parsePath(event, customerPath);
    const [record, summary] = await Promise.all([store.getCustomerModel(customerId), store.getLatestSummary()]);
    if (!record) throw new NotFoundError(`No model results for customer ${customerId}: no order of theirs in the job's window.`);
    // A customer without orders in the latest run keeps the item of the last run that saw them.
    return json(200, { customer: record, current: summary?.runDay === record.runDay });
  },
  'POST /v1/reports/channel-allocation': async (event) => {
    const input = parseJsonBody(event, allocationInput, 64 * 1024);
    const shares = input.channels.reduce((s, c) => s + (c.minShare ?? 0), 0);
    if (shares > 1 + 1e-12) {
      throw new InfeasibleError(`The minimum shares add up to ${Number(shares.toFixed(6))}, more than 1: no allocation can meet them all.`);
    }
    let result;
    try {
      result = allocateChannels(
        input.channels.map((c) => ({ ...c, capacity: c.capacity ?? Infinity })),
        input.budget,
      );
    } catch (err) {
      if (err instanceof ChannelAllocationError) throw new InfeasibleError(err.message);
      throw err;
    }
    if (!result.feasible) throw new InfeasibleError('The solver found no allocation that meets every constraint.');
    return json(200, {
      budget: input.budget,
      allocation: result.allocation,
      totalCost: result.totalCost,
      totalValue: result.totalValue,
      binding: result.constraints.filter((c) => c.binding).map((c) => c.constraint),
      constraints: result.constraints,
    });
  },
});
