import { describe, expect, it } from 'vitest';
import {
  anomalyShare,
  channelValue,
  churnCounts,
  churnRate,
  communicationEfficiency,
  conversionRate,
  csatShare,
  dataQualityIndex,
  marketingEffect,
  meanScore,
  quantile,
  recencyWeight,
  serviceQuality,
  slaAttainment,
  weightedMean,
} from '../../../../shared/analytics/kpi/formulas';
import { histogramOf, histogramQuantile } from '../../../../shared/analytics/kpi/histogram';
import { kpiValue, ratio } from '../../../../shared/analytics/kpi/kpi-value';

describe('seed 003: Σwᵢrᵢ / Σwᵢ', () => {
  it('is the plain mean with equal weights and the weighted mean otherwise', () => {
    expect(weightedMean([{ score: 5 }, { score: 3 }, { score: 4 }])).toEqual({ value: 4 });
    // (2·5 + 1·2) / (2 + 1) = 12 / 3 = 4
    expect(weightedMean([{ score: 5, weight: 2 }, { score: 2, weight: 1 }])).toEqual({ value: 4 });
    // (0.5·1 + 1.5·3) / 2 = 5 / 2 = 2.5
    expect(weightedMean([{ score: 1, weight: 0.5 }, { score: 3, weight: 1.5 }])).toEqual({ value: 2.5 });
  });

  it('is undefined with no scores, zero total weight or a negative weight', () => {
    expect(weightedMean([])).toEqual({ value: null, undefinedReason: 'no scores in the period' });
    expect(weightedMean([{ score: 4, weight: 0 }])).toEqual({ value: null, undefinedReason: 'the weights sum to 0' });
    expect(weightedMean([{ score: 4, weight: -1 }]).value).toBeNull();
  });

  it('gives recency weights that halve every half-life', () => {
    expect(recencyWeight(0, 7)).toBe(1);
    expect(recencyWeight(14, 7)).toBe(0.25);
  });
});

describe('seed 004 indices', () => {
  it('data quality M = N/D and its companion D/N', () => {
    expect(dataQualityIndex(200, 8)).toEqual({ value: 25 }); // 200 / 8
    expect(anomalyShare(200, 8)).toEqual({ value: 0.04 }); // 8 / 200
    expect(dataQualityIndex(200, 0)).toMatchObject({ value: null, undefinedReason: expect.stringContaining('D = 0') });
    expect(anomalyShare(200, 0)).toEqual({ value: 0 });
    expect(dataQualityIndex(0, 0)).toMatchObject({ value: null, undefinedReason: expect.stringContaining('N = 0') });
    expect(anomalyShare(0, 0).value).toBeNull();
  });

  it('communication efficiency T = C/R in messages per agent-hour', () => {
    expect(communicationEfficiency(45, 5400)).toEqual({ value: 30 }); // 45 messages in 1.5 h
    expect(communicationEfficiency(3, 0)).toMatchObject({ value: null, undefinedReason: expect.stringContaining('R = 0') });
  });

  it('service quality S = F/T and marketing effect M = R/C', () => {
    expect(serviceQuality(30, 4)).toEqual({ value: 7.5 });
    expect(serviceQuality(30, 0)).toMatchObject({ value: null, undefinedReason: expect.stringContaining('T = 0') });
    expect(marketingEffect(12_500, 2_500)).toEqual({ value: 5 });
    expect(marketingEffect(100, 0)).toMatchObject({ value: null, undefinedReason: expect.stringContaining('C = 0') });
  });
});

describe('seed 001 channel evaluation', () => {
  it('satisfaction, conversion and value', () => {
    expect(meanScore(4 + 5 + 3, 3)).toEqual({ value: 4 });
    expect(meanScore(0, 0).value).toBeNull();
    expect(conversionRate(15, 600)).toEqual({ value: 0.025 });
    expect(conversionRate(0, 0)).toMatchObject({ value: null, undefinedReason: 'no visits (visits = 0)' });
    expect(channelValue(15, kpiValue(40))).toEqual({ value: 600 });
    expect(channelValue(0, ratio(0, 0, 'no orders'))).toEqual({ value: 0 });
  });

  it('churn: previous-period customers not seen again ÷ previous-period customers', () => {
    const counts = churnCounts(['a', 'b', 'c', 'd', 'a'], ['b', 'd', 'e']);
    expect(counts).toEqual({ previousActive: 4, retained: 2 });
    expect(churnRate(counts.previousActive, counts.retained)).toEqual({ value: 0.5 });
    expect(churnRate(0, 0)).toMatchObject({ value: null, undefinedReason: 'no customers active in the previous period' });
    expect(churnRate(2, 3).value).toBeNull();
  });
});

describe('support numbers', () => {
  it('SLA attainment met ÷ (met + breached) and CSAT share of 4–5 ratings', () => {
    expect(slaAttainment(9, 3)).toEqual({ value: 0.75 });
    expect(slaAttainment(0, 0).value).toBeNull();
    expect(csatShare(3, 4)).toEqual({ value: 0.75 });
    expect(csatShare(0, 0).value).toBeNull();
  });

  it('exact quantiles interpolate between order statistics', () => {
    expect(quantile([4, 1, 3, 2], 0.5)).toEqual({ value: 2.5 });
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toEqual({ value: expect.closeTo(9.1, 10) });
    expect(quantile([], 0.5).value).toBeNull();
  });

  it('histogram quantiles interpolate inside the fixed buckets', () => {
    // 10, 20 in [0,30); 40, 50 in [30,60); 90 in [60,120); 400 in [300,600)
    const h = histogramOf([10, 20, 40, 50, 90, 400]);
    // median: rank 3 of 6 falls in [30,60), 1 of its 2 → 30 + 30·(1/2) = 45
    expect(histogramQuantile(h, 0.5)).toEqual({ value: 45 });
    // p90: rank 5.4 falls in [300,600), 0.4 of its 1 → 300 + 300·0.4 = 420
    expect(histogramQuantile(h, 0.9)).toEqual({ value: expect.closeTo(420, 9) });
    // the open last bucket (≥ 7 days) reports its lower edge
    expect(histogramQuantile(histogramOf([700_000]), 0.5)).toEqual({ value: 604_800 });
    expect(histogramQuantile(histogramOf([]), 0.5).value).toBeNull();
  });

  it('never returns Infinity or NaN', () => {
    expect(ratio(1, 0, 'zero')).toEqual({ value: null, undefinedReason: 'zero' });
    expect(ratio(Number.NaN, 1, 'x').value).toBeNull();
    expect(kpiValue(Number.POSITIVE_INFINITY).value).toBeNull();
  });
});
