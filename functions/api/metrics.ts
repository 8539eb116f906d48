import * as z from 'zod';
import { businessEventCounters, businessEventSchema } from '../../shared/analytics/business-events';
import { httpRoutes, json, parseJsonBody } from '../lib/http';
import { reportingStore } from '../lib/services';

const store = reportingStore();

const body = z.strictObject({ events: z.array(businessEventSchema).min(1).max(100) });

/** Integrators report visits, orders, marketing cost and data-quality checks for the KPIs. */
export const handler = httpRoutes({
  'POST /v1/metrics/events': async (event) => {
    const { events } = parseJsonBody(event, body, 256 * 1024);
    let recorded = 0;
    let duplicates = 0;
    // One transaction per event (marker + counters): a retried request adds nothing twice.
    for (const e of events) {
      if ((await store.recordBusinessEvent(e.eventId, businessEventCounters(e))) === 'recorded') recorded++;
      else duplicates++;
    }
    return json(200, { recorded, duplicates });
  },
});
