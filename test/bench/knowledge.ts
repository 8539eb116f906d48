import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { decideAutoReply, DEFAULT_MIN_MARGIN, DEFAULT_MIN_SCORE } from '../../shared/knowledge/auto-reply';
import { buildBm25Index, type Bm25Index } from '../../shared/knowledge/bm25';
import { LIMITS } from '../../shared/knowledge/article';
import { buildSeedArticles, type ExampleRow } from '../../shared/knowledge/seed';
import { suggestAnswers, type Suggestion } from '../../shared/knowledge/suggest';
import { parseCsv, requireColumns } from '../../shared/lib/csv';
import { datasetPath } from '../fixtures/datasets';

/**
 * Answer matching on Bitext customer support (train.csv, 3,612 rows, 27 intents).
 *
 * Split: per intent, rows ordered by SHA-256 of `instruction U+001F row index`; the first half
 * builds the articles (one per intent: the most typical response, tags from that half's
 * messages), the other half's instructions are the messages. Then the halves swap (2-fold) and
 * figures are the mean of both. An answer is right when the top article's intent is the
 * message's intent. Auto-reply: `decideAutoReply` on the top suggestion with a policy of
 * (minScore, minMargin) for every category; coverage = share of messages auto-replied,
 * precision = share of those with the right intent. Run once without tags (title + body only)
 * and once with the seed's keyword tags.
 *
 * `node --import tsx test/bench/run-one.ts knowledge`
 */

/** (minScore, minMargin) pairs to tabulate; the shipped default is among them. */
const THRESHOLDS: Array<[number, number]> = [
  [0, 0], [0.4, 0], [0.5, 0], [0.6, 0], [0.7, 0],
  [0.4, 0.05], [DEFAULT_MIN_SCORE, DEFAULT_MIN_MARGIN], [0.4, 0.15], [0.4, 0.2], [0.5, 0.1], [0.6, 0.1],
];
const r3 = (x: number): number => Math.round(x * 1000) / 1000;
const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;

function loadRows(): ExampleRow[] {
  const path = datasetPath('bitext_customer_support', 'train.csv');
  const rows = parseCsv(readFileSync(path, 'utf8'), path);
  requireColumns(rows, ['instruction', 'intent', 'category', 'response'], path);
  return rows.map((r) => ({ instruction: r.instruction ?? '', intent: r.intent ?? '', category: r.category ?? '', response: r.response ?? '', entityValue: r.entity_value ?? '' }));
}

/** Two disjoint halves, stratified by intent (see the file comment). */
export function splitHalves(rows: readonly ExampleRow[]): [ExampleRow[], ExampleRow[]] {
  const byIntent = new Map<string, Array<{ row: ExampleRow; key: string }>>();
  rows.forEach((row, i) => {
    const key = createHash('sha256').update(`${row.instruction}\u001f${i}`).digest('hex');
    const group = byIntent.get(row.intent) ?? [];
    group.push({ row, key });
    byIntent.set(row.intent, group);
  });
  const a: ExampleRow[] = [];
  const b: ExampleRow[] = [];
  for (const group of byIntent.values()) {
    group.sort((x, y) => (x.key < y.key ? -1 : 1));
    const half = Math.ceil(group.length / 2);
    group.forEach((g, i) => (i < half ? a : b).push(g.row));
  }
  return [a, b];
}

interface FoldFigures {
  accuracyAt1: number;
  accuracyAt3: number;
  accuracyAt1WithCategory: number;
  autoReply: Array<{ minScore: number; minMargin: number; coverage: number; precision: number }>;
  msPerMessage: number;
}

function indexOf(articleRows: readonly ExampleRow[], tags: number): Bm25Index {
  const articles = buildSeedArticles(articleRows, { tags });
  // Every article allowed, so the tables measure the thresholds alone.
  return buildBm25Index(articles.map((a) => ({ ...a, id: a.intent, autoReply: true })));
}

function evaluate(index: Bm25Index, messages: readonly ExampleRow[]): FoldFigures {
  let at1 = 0;
  let at3 = 0;
  let withCategory = 0;
  const tops: Array<{ top: Suggestion | undefined; right: boolean }> = [];
  const t0 = performance.now();
  for (const m of messages) {
    const s = suggestAnswers(index, m.instruction, { limit: 3 });
    const right = s[0]?.intent === m.intent;
    if (right) at1++;
    if (s.some((x) => x.intent === m.intent)) at3++;
    tops.push({ top: s[0], right });
  }
  const ms = (performance.now() - t0) / messages.length;
  for (const m of messages) {
    if (suggestAnswers(index, m.instruction, { limit: 1, category: m.category })[0]?.intent === m.intent) withCategory++;
  }
  const n = messages.length;
  const autoReply = THRESHOLDS.map(([minScore, minMargin]) => {
    const policy = { categories: {}, fallback: { enabled: true, minScore, minMargin } };
    const sent = tops.filter((t) => decideAutoReply(t.top, policy).autoReply);
    return { minScore, minMargin, coverage: sent.length / n, precision: sent.length ? sent.filter((t) => t.right).length / sent.length : 1 };
  });
  return { accuracyAt1: at1 / n, accuracyAt3: at3 / n, accuracyAt1WithCategory: withCategory / n, autoReply, msPerMessage: ms };
}

function mean(folds: FoldFigures[]): FoldFigures {
  const avg = (f: (x: FoldFigures) => number) => folds.reduce((s, x) => s + f(x), 0) / folds.length;
  return {
    accuracyAt1: r3(avg((x) => x.accuracyAt1)),
    accuracyAt3: r3(avg((x) => x.accuracyAt3)),
    accuracyAt1WithCategory: r3(avg((x) => x.accuracyAt1WithCategory)),
    autoReply: THRESHOLDS.map(([minScore, minMargin], i) => ({
      minScore,
      minMargin,
      coverage: r3(avg((x) => x.autoReply[i]!.coverage)),
      precision: r3(avg((x) => x.autoReply[i]!.precision)),
    })),
    msPerMessage: Math.round(avg((x) => x.msPerMessage) * 1000) / 1000,
  };
}

export async function bench(log: (line: string) => void): Promise<Record<string, unknown>> {
  const rows = loadRows();
  const [a, b] = splitHalves(rows);
  const figures: Record<string, unknown> = { rows: rows.length, halves: [a.length, b.length] };
  for (const [name, tags] of [['titleAndBody', 0], ['withTags', LIMITS.tags]] as const) {
    const t0 = performance.now();
    const folds = [evaluate(indexOf(a, tags), b), evaluate(indexOf(b, tags), a)];
    const m = mean(folds);
    log(`knowledge (${name}, tags ${tags}): acc@1 ${pct(m.accuracyAt1)}, acc@3 ${pct(m.accuracyAt3)}, acc@1 with category ${pct(m.accuracyAt1WithCategory)}, ${m.msPerMessage} ms/message (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    log('  minScore  minMargin  coverage  precision');
    for (const t of m.autoReply) {
      const mark = t.minScore === DEFAULT_MIN_SCORE && t.minMargin === DEFAULT_MIN_MARGIN ? '  <- default' : '';
      log(`  ${t.minScore.toFixed(2).padStart(8)}  ${t.minMargin.toFixed(2).padStart(9)}  ${pct(t.coverage).padStart(8)}  ${pct(t.precision).padStart(9)}${mark}`);
    }
    figures[name] = m;
  }
  return figures;
}
