import { addHistograms, bucketOf, DURATION_BUCKETS, emptyHistogram } from './histogram';

/**
 * Additive KPI counters for one (period × dimension). Every field is a count or a sum, and the
 * two histograms are bucket counts, so the counters of shorter periods add up into the longer
 * period exactly (`mergeCounters`) and the pipeline can maintain them with atomic ADDs as it
 * writes. The KPIs themselves are computed from counters by `computeKpis`.
 */
export interface KpiCounters {
  /** Inbound customer messages received. */
  messagesIn: number;
  /** Outbound agent replies sent. */
  messagesOut: number;
  /** Tickets created. */
  ticketsOpened: number;
  /** Tickets resolved (a reopened and re-resolved ticket counts again). */
  ticketsResolved: number;
  /** Tickets that got their first agent reply in the period, Σ of those waits, and their histogram. */
  firstResponseCount: number;
  firstResponseSecondsSum: number;
  firstResponseHistogram: number[];
  /** Tickets resolved in the period, Σ of created → resolved durations, and their histogram. */
  resolutionCount: number;
  resolutionSecondsSum: number;
  resolutionHistogram: number[];
  /** Customer ratings (1–5): count, Σrᵢ, Σwᵢ, Σwᵢrᵢ. */
  ratingsCount: number;
  ratingsSum: number;
  ratingsWeightSum: number;
  ratingsWeightedSum: number;
  /** Ratings of 4 or 5: satisfied feedback F (service quality) and the CSAT numerator. */
  satisfiedCount: number;
  /**
   * Service outcome scores (0–1 per resolution): count, Σwᵢ, Σwᵢrᵢ; and Σwᵢrᵢ later revoked
   * (a resolution reopened scores 0 after all), kept apart so every counter only grows.
   */
  outcomesCount: number;
  outcomesWeightSum: number;
  outcomesWeightedSum: number;
  outcomesRevokedWeightedSum: number;
  /** Complaints T: tickets opened whose intent is a complaint. */
  complaintCount: number;
  /** Data quality: records checked N and records with at least one anomaly D. */
  recordsChecked: number;
  recordsWithAnomalies: number;
  /** Communications C (messages in + out: each message event adds 1) and agent communication (handling) time R in seconds. */
  communications: number;
  communicationSeconds: number;
  /** How many times agents logged handling time (the sample behind the measured average handle time). */
  handlingLogs: number;
  /** SLA outcomes decided in the period (tickets without an SLA are never counted). */
  slaMet: number;
  slaBreached: number;
  /** Commerce: visits, orders, revenue of those orders, marketing cost (one currency). */
  visits: number;
  orders: number;
  revenue: number;
  cost: number;
}

type ScalarField = { [K in keyof KpiCounters]: KpiCounters[K] extends number ? K : never }[keyof KpiCounters];
type HistogramField = 'firstResponseHistogram' | 'resolutionHistogram';

const HISTOGRAM_FIELDS: readonly HistogramField[] = ['firstResponseHistogram', 'resolutionHistogram'];

/** All-zero counters. */
export function emptyCounters(): KpiCounters {
  return {
    messagesIn: 0,
    messagesOut: 0,
    ticketsOpened: 0,
    ticketsResolved: 0,
    firstResponseCount: 0,
    firstResponseSecondsSum: 0,
    firstResponseHistogram: emptyHistogram(),
    resolutionCount: 0,
    resolutionSecondsSum: 0,
    resolutionHistogram: emptyHistogram(),
    ratingsCount: 0,
    ratingsSum: 0,
    ratingsWeightSum: 0,
    ratingsWeightedSum: 0,
    satisfiedCount: 0,
    outcomesCount: 0,
    outcomesWeightSum: 0,
    outcomesWeightedSum: 0,
    outcomesRevokedWeightedSum: 0,
    complaintCount: 0,
    recordsChecked: 0,
    recordsWithAnomalies: 0,
    communications: 0,
    communicationSeconds: 0,
    handlingLogs: 0,
    slaMet: 0,
    slaBreached: 0,
    visits: 0,
    orders: 0,
    revenue: 0,
    cost: 0,
  };
}

/** The names of the scalar counter fields, in declaration order. */
export const SCALAR_COUNTER_FIELDS: readonly ScalarField[] = (Object.keys(emptyCounters()) as Array<keyof KpiCounters>).filter(
  (k): k is ScalarField => !HISTOGRAM_FIELDS.includes(k as HistogramField),
);

/**
 * Counters from a partial set (missing fields 0, short histograms padded), e.g. from a stored item.
 */
export function countersFrom(partial: Partial<KpiCounters>): KpiCounters {
  return mergeCounters(emptyCounters(), partial);
}

/** Field-wise sum of counters: the counters of the union of the periods (or dimensions) they cover. */
export function mergeCounters(...parts: ReadonlyArray<Partial<KpiCounters>>): KpiCounters {
  const out = emptyCounters();
  for (const part of parts) {
    for (const k of SCALAR_COUNTER_FIELDS) out[k] += part[k] ?? 0;
    for (const k of HISTOGRAM_FIELDS) out[k] = addHistograms(out[k], part[k] ?? []);
  }
  return out;
}

/**
 * Counters as flat numeric attributes (`firstResponseHistogram` → `firstResponseHistogram_0` …),
 * the shape a store can increment with one atomic ADD per attribute.
 */
export function flattenCounters(c: Partial<KpiCounters>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of SCALAR_COUNTER_FIELDS) if (c[k]) out[k] = c[k];
  for (const k of HISTOGRAM_FIELDS) {
    (c[k] ?? []).forEach((n, i) => {
      if (n) out[`${k}_${i}`] = n;
    });
  }
  return out;
}

/** The inverse of flattenCounters; unknown attributes are ignored. */
export function unflattenCounters(flat: Readonly<Record<string, unknown>>): KpiCounters {
  const out = emptyCounters();
  for (const k of SCALAR_COUNTER_FIELDS) if (typeof flat[k] === 'number') out[k] = flat[k];
  for (const k of HISTOGRAM_FIELDS) {
    for (let i = 0; i < DURATION_BUCKETS; i++) {
      const v = flat[`${k}_${i}`];
      if (typeof v === 'number') out[k][i] = v;
    }
  }
  return out;
}

/** One thing that happened, as the pipeline sees it; `countersFor` turns it into a counter delta. */
export type KpiEvent =
  | { type: 'message.received' }
  | { type: 'message.sent' }
  | { type: 'ticket.opened'; complaint?: boolean }
  | { type: 'ticket.first-responded'; waitSeconds: number }
  | { type: 'ticket.resolved'; resolutionSeconds: number; outcomeScore?: number; outcomeWeight?: number }
  /** A resolution's outcome turned out worse (reopened): counted in the hour of that resolution. */
  | { type: 'ticket.outcome-revoked'; outcomeScore: number; outcomeWeight?: number }
  | { type: 'sla.decided'; met: boolean }
  | { type: 'rating.received'; score: number; weight?: number }
  | { type: 'communication.logged'; seconds: number }
  | { type: 'records.checked'; records: number; withAnomalies: number }
  | { type: 'visit.recorded' }
  | { type: 'order.placed'; value: number }
  | { type: 'marketing.cost'; amount: number };

/** The counter delta of one event (only the fields it touches), to ADD into its period's counters. */
export function countersFor(event: KpiEvent): Partial<KpiCounters> {
  switch (event.type) {
    case 'message.received':
      return { messagesIn: 1, communications: 1 };
    case 'message.sent':
      return { messagesOut: 1, communications: 1 };
    case 'ticket.opened':
      return { ticketsOpened: 1, complaintCount: event.complaint ? 1 : 0 };
    case 'ticket.first-responded':
      return { firstResponseCount: 1, firstResponseSecondsSum: event.waitSeconds, firstResponseHistogram: oneIn(event.waitSeconds) };
    case 'ticket.resolved': {
      const delta: Partial<KpiCounters> = {
        ticketsResolved: 1,
        resolutionCount: 1,
        resolutionSecondsSum: event.resolutionSeconds,
        resolutionHistogram: oneIn(event.resolutionSeconds),
      };
      if (event.outcomeScore !== undefined) {
        const w = event.outcomeWeight ?? 1;
        Object.assign(delta, { outcomesCount: 1, outcomesWeightSum: w, outcomesWeightedSum: w * event.outcomeScore });
      }
      return delta;
    }
    case 'ticket.outcome-revoked':
      return { outcomesRevokedWeightedSum: (event.outcomeWeight ?? 1) * event.outcomeScore };
    case 'sla.decided':
      return event.met ? { slaMet: 1 } : { slaBreached: 1 };
    case 'rating.received': {
      const w = event.weight ?? 1;
      return {
        ratingsCount: 1,
        ratingsSum: event.score,
        ratingsWeightSum: w,
        ratingsWeightedSum: w * event.score,
        satisfiedCount: event.score >= 4 ? 1 : 0,
      };
    }
    case 'communication.logged':
      return { communicationSeconds: event.seconds, handlingLogs: 1 };
    case 'records.checked':
      return { recordsChecked: event.records, recordsWithAnomalies: event.withAnomalies };
    case 'visit.recorded':
      return { visits: 1 };
    case 'order.placed':
      return { orders: 1, revenue: event.value };
    case 'marketing.cost':
      return { cost: event.amount };
  }
}

function oneIn(seconds: number): number[] {
  const h = emptyHistogram();
  h[bucketOf(seconds)] = 1;
  return h;
}
