import { describe, expect, it } from 'vitest';
import type { CustomerSnapshot } from '../../../../shared/analytics/customers/customer-features';
import { labelCustomer, meanSilhouette, nameSegment, rfmRow, segmentCustomers, standardise } from '../../../../shared/analytics/customers/segmentation';

function snap(customerId: string, recencyDays: number, invoices: number, monetary: number): CustomerSnapshot {
  return {
    customerId, country: 'United Kingdom', recencyDays, tenureDays: 300, invoices, invoices90: 0, monetary,
    windowSpend: [0, 0, 0, 0], previousHorizonSpend: 0, lastHorizonSpend: 0, averageBasket: 0, distinctProducts: 0, historyDays: 300, marketMomentum: 1,
  };
}

describe('RFM segmentation', () => {
  it('computes the silhouette of two clusters on a line by hand', () => {
    // [0], [1] | [10], [11]: point 0 has a = 1, b = 10.5; point 1 has a = 1, b = 9.5 (and mirrored).
    const s = meanSilhouette([[0], [1], [10], [11]], [0, 0, 1, 1]);
    expect(s).toBeCloseTo((9.5 / 10.5 + 8.5 / 9.5) / 2, 12);
  });

  it('standardises columns and log-transforms RFM', () => {
    const { rows, mean, sd } = standardise([[1, 5], [3, 5]]);
    expect(mean).toEqual([2, 5]);
    expect(sd).toEqual([1, 1]); // constant column: sd 0 → 1
    expect(rows).toEqual([[-1, 0], [1, 0]]);
    expect(rfmRow(snap('a', 9, 2, -5))).toEqual([Math.log(10), Math.log(3), 0]);
  });

  it('names segments by centroid against the medians', () => {
    const med = [3, 1, 6];
    expect(nameSegment([2, 2, 7], med)).toBe('champions');
    expect(nameSegment([2, 2, 6], med)).toBe('loyal');
    expect(nameSegment([2, 1.1, 6.1], med)).toBe('new'); // within 0.25 sd of the medians
    expect(nameSegment([4, 2, 6], med)).toBe('at risk');
    expect(nameSegment([4, 1, 5], med)).toBe('lost');
  });

  it('finds two obvious clusters, reproducibly, and names them', () => {
    const snaps = [
      ...[1, 2, 3, 2, 1].map((r, i) => snap(`c${i}`, r, 20 + i, 5000 + 50 * i)),
      ...[200, 205, 210, 202, 207].map((r, i) => snap(`l${i}`, r, 1, 20 + i)),
    ];
    const a = segmentCustomers(snaps, { minK: 2, maxK: 4, seed: 7 });
    const b = segmentCustomers(snaps, { minK: 2, maxK: 4, seed: 7 });
    expect(a).toEqual(b);
    expect(a.k).toBe(2);
    expect(a.silhouetteByK[2]).toBeGreaterThan(0.9);
    const nameOf = (id: string) => a.segments.find((s) => s.id === a.assignments.find((x) => x.customerId === id)!.segment)!.name;
    expect(['c0', 'c1', 'c2', 'c3', 'c4'].map(nameOf)).toEqual(Array(5).fill('champions'));
    expect(['l0', 'l1', 'l2', 'l3', 'l4'].map(nameOf)).toEqual(Array(5).fill('lost'));
    expect(a.segments.map((s) => s.size).sort()).toEqual([5, 5]);
  });

  it('labels a customer with their own recency and the cluster centroid\'s F and M', () => {
    const med = [3, 1, 6];
    const champ = [2, 2, 7]; // recent, frequent, big
    expect(labelCustomer(2.5, champ, med, [1, 1, 1], 'champions')).toBe('champions');
    // Own log recency at or above the median: not recent → the inactive name with the same F/M.
    expect(labelCustomer(3, champ, med, [1, 1, 1], 'champions')).toBe('at risk');
    expect(labelCustomer(5.7, [2, 2, 6], med, [1, 1, 1], 'loyal')).toBe('at risk');
    expect(labelCustomer(4, [2, 1, 6], med, [1, 1, 1], 'new')).toBe('lost');
    // And the other way: a recent customer in an inactive cluster.
    expect(labelCustomer(1, [4, 1, 5], med, [1, 1, 1], 'lost')).toBe('new');
    expect(labelCustomer(1, [4, 2, 7], med, [1, 1, 1], 'at risk')).toBe('champions');
    // Same base name as the cluster: the cluster's numbered name is kept.
    expect(labelCustomer(5, [5, 0, 0], med, [1, 1, 1], 'lost 2')).toBe('lost 2');
  });

  it('keeps the k-means cluster but relabels members whose own recency contradicts its name', () => {
    const snaps = [
      ...[1, 2, 3, 2, 1].map((r, i) => snap(`c${i}`, r, 20, 5000)),
      ...[200, 205, 210, 202, 207].map((r, i) => snap(`l${i}`, r, 1, 20)),
      snap('x', 180, 20, 5000), // a champion's F and M, inactive for 180 days
      snap('y', 2, 1, 20), // a lost customer's F and M, bought 2 days ago
    ];
    // Median of log(1 + recency) over the 12: between log 4 (r = 3) and log 181 (r = 180), i.e. r ≈ 25.9.
    const seg = segmentCustomers(snaps, { minK: 2, maxK: 2, seed: 7 });
    const of = (id: string) => seg.assignments.find((a) => a.customerId === id)!;
    const nameOf = (id: string) => seg.segments.find((s) => s.id === of(id).segment)!.name;
    expect(nameOf('x')).toBe('champions');
    expect(of('x').segment).toBe(of('c0').segment);
    expect(of('x').label).toBe('at risk');
    expect(nameOf('y')).toBe('lost');
    expect(of('y').label).toBe('new');
    for (const id of ['c0', 'c1', 'c2', 'c3', 'c4']) expect(of(id).label).toBe('champions');
    for (const id of ['l0', 'l1', 'l2', 'l3', 'l4']) expect(of(id).label).toBe('lost');
    expect(seg.relabelled).toEqual({ 'champions → at risk': 1, 'lost → new': 1 });
    expect(seg.segments.map((s) => s.size).sort()).toEqual([6, 6]);
  });
});
