/**
 * Topic model checks: purity and NMI of document → topic assignments against known labels,
 * and NPMI coherence of a topic's top words on document co-occurrence.
 */

/**
 * Purity: each cluster is credited with its most common label; the share of documents so
 * credited. Documents with cluster −1 (no terms) count as misses. 1 is perfect; the majority
 * label's share is what one cluster gets.
 */
export function purity(clusters: readonly number[], labels: readonly string[]): number {
  if (clusters.length === 0) return 0;
  let hits = 0;
  for (const [cluster, counts] of contingency(clusters, labels)) if (cluster >= 0) hits += Math.max(...counts.values());
  return hits / clusters.length;
}

/** Normalised mutual information I(C; L) / √(H(C)·H(L)) in [0, 1] (cluster −1 is one more cluster); 0 when either side has one value. */
export function normalizedMutualInformation(clusters: readonly number[], labels: readonly string[]): number {
  const n = clusters.length;
  if (n === 0) return 0;
  const table = contingency(clusters, labels);
  const labelCounts = new Map<string, number>();
  for (const l of labels) labelCounts.set(l, (labelCounts.get(l) ?? 0) + 1);
  let mi = 0;
  let hc = 0;
  for (const counts of table.values()) {
    let size = 0;
    for (const c of counts.values()) size += c;
    hc -= (size / n) * Math.log(size / n);
    for (const [label, c] of counts) mi += (c / n) * Math.log((c * n) / (size * (labelCounts.get(label) ?? 1)));
  }
  let hl = 0;
  for (const c of labelCounts.values()) hl -= (c / n) * Math.log(c / n);
  return hc === 0 || hl === 0 ? 0 : mi / Math.sqrt(hc * hl);
}

function contingency(clusters: readonly number[], labels: readonly string[]): Map<number, Map<string, number>> {
  if (clusters.length !== labels.length) throw new RangeError('clusters and labels differ in length');
  const table = new Map<number, Map<string, number>>();
  clusters.forEach((c, i) => {
    let row = table.get(c);
    if (!row) table.set(c, (row = new Map()));
    const label = labels[i] as string;
    row.set(label, (row.get(label) ?? 0) + 1);
  });
  return table;
}

/**
 * Mean NPMI over pairs of a topic's top words, with probabilities of documents containing the
 * words: NPMI = ln(p(a,b) / p(a)p(b)) / −ln p(a,b), −1 for words never together, 1 for words
 * always together. Words absent from the corpus are skipped.
 */
export function npmiCoherence(topWords: readonly string[], docs: ReadonlyArray<readonly string[]>): number {
  const index = new Map<string, Set<number>>();
  const wanted = new Set(topWords);
  docs.forEach((doc, d) => {
    for (const t of doc) {
      if (!wanted.has(t)) continue;
      let s = index.get(t);
      if (!s) index.set(t, (s = new Set()));
      s.add(d);
    }
  });
  const present = topWords.filter((w) => index.has(w));
  const n = docs.length;
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < present.length; i++) {
    for (let j = i + 1; j < present.length; j++) {
      const a = index.get(present[i] as string) as Set<number>;
      const b = index.get(present[j] as string) as Set<number>;
      let both = 0;
      for (const d of a) if (b.has(d)) both++;
      pairs++;
      if (both === 0) {
        sum -= 1;
        continue;
      }
      const pab = both / n;
      sum += both === n ? 1 : Math.log(pab / ((a.size / n) * (b.size / n))) / -Math.log(pab);
    }
  }
  return pairs === 0 ? 0 : sum / pairs;
}
