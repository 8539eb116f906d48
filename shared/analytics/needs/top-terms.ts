/**
 * Top terms per group (e.g. category × channel) from term lists, three ways:
 *
 * - `frequency`: raw count of the term in the group.
 * - `tfidf`: each group is one document; tf = count / group's term total, idf = ln(G / gᵗ) with
 *   G groups and gᵗ the groups using the term, so a term every group uses scores 0.
 * - `log-odds`: the weighted log-odds ratio with an informative Dirichlet prior (Monroe,
 *   Colaresi & Quinn 2008), group against all other groups, as a z-score: how much more this
 *   group uses the term than the rest do, shrunk for rare terms.
 */

export type TermScoring = 'frequency' | 'tfidf' | 'log-odds';

/** One scored term of a group. */
export interface TopTerm {
  term: string;
  /** Count of the term in the group. */
  count: number;
  /** The score the ranking used (equal to count for `frequency`). */
  score: number;
}

export interface TopTermsOptions {
  /** Terms per group (default 10). */
  n?: number;
  scoring?: TermScoring;
  /** Terms seen fewer times than this in the group are not ranked (default 2). */
  minCount?: number;
  /** Total pseudo-count α₀ of the log-odds prior, spread in proportion to overall term shares (default 500). */
  priorStrength?: number;
}

/** Term counts of a group. */
export type TermCounts = Map<string, number>;

/** Counts terms per group from (group, terms) pairs. */
export function countTermsByGroup(docs: Iterable<{ group: string; terms: readonly string[] }>): Map<string, TermCounts> {
  const groups = new Map<string, TermCounts>();
  for (const { group, terms } of docs) {
    let counts = groups.get(group);
    if (!counts) groups.set(group, (counts = new Map()));
    for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  return groups;
}

function total(counts: TermCounts): number {
  let n = 0;
  for (const c of counts.values()) n += c;
  return n;
}

/** Ranking order: higher score first, then higher count, then the term alphabetically (deterministic). */
function byScore(a: TopTerm, b: TopTerm): number {
  return b.score - a.score || b.count - a.count || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0);
}

/** The top terms of every group, scored against the other groups as `scoring` says. */
export function topTermsByGroup(groups: ReadonlyMap<string, TermCounts>, options: TopTermsOptions = {}): Map<string, TopTerm[]> {
  const { n = 10, scoring = 'log-odds', minCount = 2, priorStrength = 500 } = options;
  const all: TermCounts = new Map();
  const groupsUsing = new Map<string, number>();
  for (const counts of groups.values()) {
    for (const [t, c] of counts) {
      all.set(t, (all.get(t) ?? 0) + c);
      groupsUsing.set(t, (groupsUsing.get(t) ?? 0) + 1);
    }
  }
  const allTotal = total(all);
  const result = new Map<string, TopTerm[]>();
  for (const [group, counts] of groups) {
    const groupTotal = total(counts);
    const restTotal = allTotal - groupTotal;
    const scored: TopTerm[] = [];
    for (const [term, count] of counts) {
      if (count < minCount) continue;
      let score: number;
      if (scoring === 'frequency') score = count;
      else if (scoring === 'tfidf') score = (count / groupTotal) * Math.log(groups.size / (groupsUsing.get(term) ?? 1));
      else {
        const alpha = (priorStrength * (all.get(term) ?? 0)) / allTotal;
        const rest = (all.get(term) ?? 0) - count;
        const delta =
          Math.log((count + alpha) / (groupTotal + priorStrength - count - alpha)) -
          Math.log((rest + alpha) / (restTotal + priorStrength - rest - alpha));
        score = delta / Math.sqrt(1 / (count + alpha) + 1 / (rest + alpha));
      }
      scored.push({ term, count, score });
    }
    result.set(group, scored.sort(byScore).slice(0, n));
  }
  return result;
}
