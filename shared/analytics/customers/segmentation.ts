/**
 * RFM segmentation (seed 002: k-means). Features: log(1 + recency days), log(1 + invoices),
 * log(1 + net spend), each standardised; k from 3..8 by the best mean silhouette; k-means++
 * with a fixed seed; each cluster named from its centroid against the overall medians, and each
 * customer labelled from the cluster's F and M but their own recency (`labelCustomer`).
 */
import { kmeans } from 'ml-kmeans';
import type { CustomerSnapshot } from './customer-features';

/** log R, log F, log M of one snapshot (money below 0, i.e. net refunds, as 0). */
export function rfmRow(s: CustomerSnapshot): number[] {
  return [Math.log1p(s.recencyDays), Math.log1p(s.invoices), Math.log1p(Math.max(0, s.monetary))];
}

/** Column means and standard deviations, and the rows standardised with them (sd 0 → 1). */
export function standardise(rows: readonly (readonly number[])[]): { rows: number[][]; mean: number[]; sd: number[] } {
  const p = rows[0]?.length ?? 0;
  const mean = new Array<number>(p).fill(0);
  const sd = new Array<number>(p).fill(0);
  for (const r of rows) r.forEach((v, j) => (mean[j]! += v / rows.length));
  for (const r of rows) r.forEach((v, j) => (sd[j]! += (v - mean[j]!) ** 2 / rows.length));
  for (let j = 0; j < p; j++) sd[j] = Math.sqrt(sd[j]!) || 1;
  return { rows: rows.map((r) => r.map((v, j) => (v - mean[j]!) / sd[j]!)), mean, sd };
}

function distance(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += (a[j]! - b[j]!) ** 2;
  return Math.sqrt(s);
}

/**
 * Mean silhouette (Rousseeuw 1987) with Euclidean distance: for each point, a = mean distance to
 * its own cluster, b = the smallest mean distance to another cluster, s = (b − a) / max(a, b);
 * s = 0 for a point alone in its cluster. O(n²): fine for a few thousand customers.
 */
export function meanSilhouette(points: readonly (readonly number[])[], clusters: readonly number[]): number {
  const k = Math.max(...clusters) + 1;
  const size = new Array<number>(k).fill(0);
  for (const c of clusters) size[c]! += 1;
  let total = 0;
  for (let i = 0; i < points.length; i++) {
    const sums = new Array<number>(k).fill(0);
    for (let j = 0; j < points.length; j++) if (j !== i) sums[clusters[j]!]! += distance(points[i]!, points[j]!);
    const own = clusters[i]!;
    if (size[own]! <= 1) continue;
    const a = sums[own]! / (size[own]! - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && size[c]! > 0) b = Math.min(b, sums[c]! / size[c]!);
    if (Number.isFinite(b)) total += (b - a) / Math.max(a, b);
  }
  return total / points.length;
}

/** One named segment: its size and centroid in readable units (days, invoices, GBP, back-transformed). */
export interface Segment {
  id: number;
  name: string;
  size: number;
  recencyDays: number;
  invoices: number;
  monetary: number;
}

/** One customer's cluster and label. */
export interface SegmentAssignment {
  customerId: string;
  /** The k-means cluster (`Segment.id`). */
  segment: number;
  /** The name to show for this customer: the cluster's name unless their own recency contradicts it. */
  label: string;
}

/** The segmentation: chosen k, the criterion per k, the segments and each customer's cluster and label. */
export interface Segmentation {
  k: number;
  silhouetteByK: Record<number, number>;
  segments: Segment[];
  assignments: SegmentAssignment[];
  /** Customers whose label differs from their cluster's name, by "cluster name → label". */
  relabelled: Record<string, number>;
}

/**
 * Names a centroid (R, F, M on the log scale) from its distance to the overall medians in
 * standard deviations (rel = (centroid − median) / sd): recent = rel_R < 0; frequent = rel_F > 0.25;
 * big = rel_M > 0.25 (the margin keeps a cluster sitting on the median from being called
 * "frequent"). First match wins: recent & frequent & big → "champions"; recent & (frequent or
 * big) → "loyal"; recent → "new"; (frequent or big) → "at risk"; otherwise "lost".
 */
export function nameSegment(centroid: readonly number[], medians: readonly number[], sds: readonly number[] = [1, 1, 1]): string {
  const rel = (j: number) => (centroid[j]! - medians[j]!) / (sds[j]! || 1);
  const recent = rel(0) < 0;
  const frequent = rel(1) > 0.25;
  const big = rel(2) > 0.25;
  if (recent && frequent && big) return 'champions';
  if (recent && (frequent || big)) return 'loyal';
  if (recent) return 'new';
  if (frequent || big) return 'at risk';
  return 'lost';
}

/**
 * A customer's own label: `nameSegment` on their own log recency with their cluster centroid's F and
 * M. So the label's recency half always agrees with the customer (recent = own log recency below
 * the median) and the F/M half is the cluster's: a customer 302 days inactive in the "champions"
 * cluster is "at risk", one who bought last week in the "lost" cluster is "new". When the base name
 * equals the cluster's, the cluster's full name (with its " 2") is kept.
 */
export function labelCustomer(
  ownLogRecency: number,
  centroid: readonly number[],
  medians: readonly number[],
  sds: readonly number[],
  clusterName: string,
): string {
  const base = nameSegment([ownLogRecency, centroid[1]!, centroid[2]!], medians, sds);
  return clusterName === base || clusterName.startsWith(`${base} `) ? clusterName : base;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Segments customers by k-means on standardised log-RFM. k is the one in [minK, maxK] with the
 * highest mean silhouette (default 3..8: k = 2 wins on this data but only splits active from
 * inactive); `seed` makes k-means++ reproducible. Names that repeat get " 2", " 3".
 */
export function segmentCustomers(
  snapshots: readonly CustomerSnapshot[],
  options: { minK?: number; maxK?: number; seed?: number } = {},
): Segmentation {
  const { minK = 3, maxK = 8, seed = 42 } = options;
  const raw = snapshots.map(rfmRow);
  const { rows, sd } = standardise(raw);
  if (rows.length <= minK) throw new Error(`segmentation needs more than ${minK} customers, got ${rows.length}`);
  const silhouetteByK: Record<number, number> = {};
  let best: { k: number; clusters: number[]; score: number } | undefined;
  for (let k = minK; k <= Math.min(maxK, rows.length - 1); k++) {
    const result = kmeans(rows, k, { seed, initialization: 'kmeans++', maxIterations: 300 });
    const score = meanSilhouette(rows, result.clusters);
    silhouetteByK[k] = score;
    if (!best || score > best.score) best = { k, clusters: result.clusters, score };
  }
  const { k, clusters } = best!;
  const medians = [0, 1, 2].map((j) => median(raw.map((r) => r[j]!)));
  const seen = new Map<string, number>();
  const segments: Segment[] = [];
  const centroids = new Map<number, number[]>();
  for (let c = 0; c < k; c++) {
    const members = raw.filter((_, i) => clusters[i] === c);
    if (members.length === 0) continue;
    // Centroid on the log scale of the raw features, so it compares with the medians directly.
    const centroid = [0, 1, 2].map((j) => members.reduce((s, r) => s + r[j]!, 0) / members.length);
    centroids.set(c, centroid);
    const base = nameSegment(centroid, medians, sd);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    segments.push({
      id: c,
      name: n === 1 ? base : `${base} ${n}`,
      size: members.length,
      recencyDays: Math.expm1(centroid[0]!),
      invoices: Math.expm1(centroid[1]!),
      monetary: Math.expm1(centroid[2]!),
    });
  }
  const nameOf = new Map(segments.map((s) => [s.id, s.name]));
  const relabelled: Record<string, number> = {};
  const assignments = snapshots.map((s, i): SegmentAssignment => {
    const c = clusters[i]!;
    const name = nameOf.get(c)!;
    const label = labelCustomer(raw[i]![0]!, centroids.get(c)!, medians, sd, name);
    if (label !== name) relabelled[`${name} → ${label}`] = (relabelled[`${name} → ${label}`] ?? 0) + 1;
    return { customerId: s.customerId, segment: c, label };
  });
  return { k, silhouetteByK, segments, assignments, relabelled };
}
