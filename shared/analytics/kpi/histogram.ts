import { kpiUndefined, kpiValue, type KpiValue } from './kpi-value';

/**
 * A fixed-bucket duration histogram: counts per bucket add up across periods, so the median
 * and p90 of a month come from the sum of its days' histograms (a list of durations would not
 * scale, and percentiles themselves cannot be averaged).
 *
 * Bucket i holds durations d with EDGES[i] ≤ d < EDGES[i+1] (seconds); the last bucket is
 * open (≥ 7 days). Edges: 0, 30 s, 1, 2, 5, 10, 15, 30 min, 1, 2, 4, 8, 24, 48 h, 7 days.
 */
export const DURATION_BUCKET_EDGES_SECONDS: readonly number[] = [
  0, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 28_800, 86_400, 172_800, 604_800,
];

/** Number of buckets (one per edge; the last is open-ended). */
export const DURATION_BUCKETS = DURATION_BUCKET_EDGES_SECONDS.length;

/** An all-zero histogram. */
export function emptyHistogram(): number[] {
  return new Array<number>(DURATION_BUCKETS).fill(0);
}

/** The bucket index of a duration in seconds (negative durations, from clock skew, count as 0). */
export function bucketOf(seconds: number): number {
  const d = Math.max(0, seconds);
  let i = DURATION_BUCKETS - 1;
  while (i > 0 && d < (DURATION_BUCKET_EDGES_SECONDS[i] as number)) i--;
  return i;
}

/** A histogram holding the given durations. */
export function histogramOf(durations: ReadonlyArray<number>): number[] {
  const h = emptyHistogram();
  for (const d of durations) h[bucketOf(d)] = (h[bucketOf(d)] as number) + 1;
  return h;
}

/** Element-wise sum of two histograms. */
export function addHistograms(a: ReadonlyArray<number>, b: ReadonlyArray<number>): number[] {
  return emptyHistogram().map((_, i) => (a[i] ?? 0) + (b[i] ?? 0));
}

/**
 * The p-quantile (0 < p ≤ 1) estimated from a histogram: find the bucket where the running count
 * reaches p·n and interpolate linearly inside it (durations assumed uniform within a bucket).
 * In the open last bucket the estimate is its lower edge (7 days), i.e. "at least".
 */
export function histogramQuantile(histogram: ReadonlyArray<number>, p: number): KpiValue {
  const n = histogram.reduce((s, c) => s + c, 0);
  if (n === 0) return kpiUndefined('no durations in the period');
  const rank = p * n;
  let below = 0;
  for (let i = 0; i < DURATION_BUCKETS; i++) {
    const count = histogram[i] ?? 0;
    if (count > 0 && below + count >= rank) {
      const lo = DURATION_BUCKET_EDGES_SECONDS[i] as number;
      const hi = DURATION_BUCKET_EDGES_SECONDS[i + 1];
      if (hi === undefined) return kpiValue(lo);
      return kpiValue(lo + ((hi - lo) * (rank - below)) / count);
    }
    below += count;
  }
  return kpiValue(DURATION_BUCKET_EDGES_SECONDS[DURATION_BUCKETS - 1] as number);
}
