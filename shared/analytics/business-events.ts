import * as z from 'zod';
import { CHANNELS } from '../domain/message';
import { counterIncrement, dimensionsOf, hourOf, type CounterIncrement } from './counters';
import type { KpiEvent } from './kpi';

/**
 * Business events integrators report so the KPIs that need data Switchboard does not see
 * itself can be computed: web visits and orders per channel (conversion, channel value,
 * seed 001), marketing cost (marketing effect M = R/C, seed 004), and data-quality checks
 * (M = N/D, seed 004). Each carries the integrator's id, so a retried call counts once.
 */
const base = {
  /** The integrator's id of the event: the same id is counted once, whatever it says the second time. */
  eventId: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'must be 1–128 of A-Za-z0-9_.:-'),
  at: z.iso.datetime({ offset: true }),
  channel: z.enum(CHANNELS).optional(),
  team: z.string().regex(/^[^#\s]{1,64}$/, 'must have no # or spaces').optional(),
};

export const businessEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...base, type: z.literal('visit.recorded'), count: z.number().int().min(1).max(1_000_000).default(1) }),
  z.strictObject({ ...base, type: z.literal('order.placed'), value: z.number().min(0).max(1e9) }),
  z.strictObject({ ...base, type: z.literal('marketing.cost'), amount: z.number().min(0).max(1e9) }),
  z.strictObject({
    ...base,
    type: z.literal('records.checked'),
    records: z.number().int().min(0).max(1e9),
    withAnomalies: z.number().int().min(0).max(1e9),
  }).refine((e) => e.withAnomalies <= e.records, { message: 'withAnomalies cannot exceed records', path: ['withAnomalies'] }),
]);
export type BusinessEvent = z.infer<typeof businessEventSchema>;

/** The KPI event a business event stands for (a visit count is applied to the cells below). */
function kpiEvents(e: BusinessEvent): KpiEvent[] {
  switch (e.type) {
    case 'visit.recorded':
      return [{ type: 'visit.recorded' }];
    case 'order.placed':
      return [{ type: 'order.placed', value: e.value }];
    case 'marketing.cost':
      return [{ type: 'marketing.cost', amount: e.amount }];
    case 'records.checked':
      return [{ type: 'records.checked', records: e.records, withAnomalies: e.withAnomalies }];
  }
}

/** The counter increment of a business event: its hour, under all, its channel and team when given. */
export function businessEventCounters(e: BusinessEvent): CounterIncrement {
  const inc = counterIncrement({
    hour: hourOf(e.at),
    shardKey: e.eventId,
    events: kpiEvents(e),
    dimensions: e.channel ? dimensionsOf({ channel: e.channel, team: e.team }) : e.team ? ['all', `team#${e.team}`] : ['all'],
  });
  // `count` visits in one event: the visit cells carry the count.
  if (e.type === 'visit.recorded') for (const cell of Object.keys(inc.cells)) if (cell.startsWith('visits@')) inc.cells[cell] = e.count;
  return inc;
}
