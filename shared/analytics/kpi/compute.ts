import type { KpiCounters } from './counters';
import {
  anomalyShare,
  channelValue,
  churnRate,
  communicationEfficiency,
  conversionRate,
  csatShare,
  dataQualityIndex,
  marketingEffect,
  meanScore,
  serviceQuality,
  slaAttainment,
  weightedMeanFromSums,
} from './formulas';
import { histogramQuantile } from './histogram';
import { kpiUndefined, kpiValue, ratio, type KpiValue } from './kpi-value';

/** Every index computeKpis returns, in the order reports and CSV exports list them. */
export const KPI_NAMES = [
  // volume
  'messagesIn',
  'ticketsOpened',
  'ticketsResolved',
  'backlog',
  // response and resolution times (seconds)
  'firstResponseMeanSeconds',
  'firstResponseMedianSeconds',
  'firstResponseP90Seconds',
  'resolutionMeanSeconds',
  'resolutionMedianSeconds',
  'resolutionP90Seconds',
  'slaAttainment',
  'csat',
  // seed 003
  'customerSatisfaction',
  'serviceEffectiveness',
  // seed 004
  'dataQualityIndex',
  'anomalyShare',
  'communicationEfficiency',
  'serviceQuality',
  'marketingEffect',
  // seed 001 channel evaluation
  'channelSatisfaction',
  'conversionRate',
  'averageOrderValue',
  'channelValue',
  'churnRate',
] as const;

export type KpiName = (typeof KPI_NAMES)[number];

/**
 * What counters cannot hold because it is a state, not a flow: the backlog at period end and
 * the customer sets behind churn. Omitted fields make those indices undefined with a reason.
 */
export interface KpiContext {
  /** Tickets open (not resolved or closed) at the period's end instant. */
  backlog?: number;
  /** Distinct customers with any activity (message or order) in the previous period. */
  previousActiveCustomers?: number;
  /** Of those, how many were active again in this period (see churnCounts). */
  retainedCustomers?: number;
}

/**
 * All KPIs of one (period × dimension) from its counters and context. Pure and deterministic:
 * the same counters give the same record, so a re-run of the job upserts identical rows.
 */
export function computeKpis(c: KpiCounters, context: KpiContext = {}): Record<KpiName, KpiValue> {
  const averageOrderValue = ratio(c.revenue, c.orders, 'no orders in the period');
  return {
    messagesIn: kpiValue(c.messagesIn),
    ticketsOpened: kpiValue(c.ticketsOpened),
    ticketsResolved: kpiValue(c.ticketsResolved),
    backlog: context.backlog === undefined ? kpiUndefined('backlog not provided for the period end') : kpiValue(context.backlog),
    firstResponseMeanSeconds: ratio(c.firstResponseSecondsSum, c.firstResponseCount, 'no first responses in the period'),
    firstResponseMedianSeconds: histogramQuantile(c.firstResponseHistogram, 0.5),
    firstResponseP90Seconds: histogramQuantile(c.firstResponseHistogram, 0.9),
    resolutionMeanSeconds: ratio(c.resolutionSecondsSum, c.resolutionCount, 'no tickets resolved in the period'),
    resolutionMedianSeconds: histogramQuantile(c.resolutionHistogram, 0.5),
    resolutionP90Seconds: histogramQuantile(c.resolutionHistogram, 0.9),
    slaAttainment: slaAttainment(c.slaMet, c.slaBreached),
    csat: csatShare(c.satisfiedCount, c.ratingsCount),
    customerSatisfaction: weightedMeanFromSums(c.ratingsWeightedSum, c.ratingsWeightSum, c.ratingsCount),
    serviceEffectiveness: weightedMeanFromSums(c.outcomesWeightedSum - c.outcomesRevokedWeightedSum, c.outcomesWeightSum, c.outcomesCount),
    dataQualityIndex: dataQualityIndex(c.recordsChecked, c.recordsWithAnomalies),
    anomalyShare: anomalyShare(c.recordsChecked, c.recordsWithAnomalies),
    communicationEfficiency: communicationEfficiency(c.communications, c.communicationSeconds),
    serviceQuality: serviceQuality(c.satisfiedCount, c.complaintCount),
    marketingEffect: marketingEffect(c.revenue, c.cost),
    channelSatisfaction: meanScore(c.ratingsSum, c.ratingsCount),
    conversionRate: conversionRate(c.orders, c.visits),
    averageOrderValue,
    channelValue: channelValue(c.orders, averageOrderValue),
    churnRate:
      context.previousActiveCustomers === undefined || context.retainedCustomers === undefined
        ? kpiUndefined('previous-period and retained customer counts not provided')
        : churnRate(context.previousActiveCustomers, context.retainedCustomers),
  };
}
