import { surfaceLabels, termsOf } from '../analytics/needs/tokenize';
import { LIMITS, type ArticleFields } from './article';
import { analyze } from './bm25';

/** A labelled example with an agent's reply, as in Bitext's train.csv. */
export interface ExampleRow {
  instruction: string;
  intent: string;
  category: string;
  response: string;
  /** The entity the instruction names (an order number, a person), when any: Bitext's `entity_value`. */
  entityValue?: string;
}

/** One article of the seed / import format. */
export type SeedArticle = ArticleFields & { intent: string; category: string };

export interface SeedOptions {
  /** How many keywords (from the intent's messages) become the article's tags; 0 for none. */
  tags: number;
}

/** "track_refund" → "Track refund". */
export const titleOfIntent = (intent: string): string => {
  const words = intent.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/**
 * Index of the most typical text: the one with the highest mean Jaccard overlap of its term
 * set with every other text of the group (a medoid). Ties go to the first.
 */
export function mostTypical(texts: readonly string[]): number {
  const sets = texts.map((t) => new Set(analyze(t)));
  let best = 0;
  let bestScore = -1;
  for (let i = 0; i < sets.length; i++) {
    let sum = 0;
    for (let j = 0; j < sets.length; j++) if (j !== i) sum += jaccard(sets[i]!, sets[j]!);
    const score = sets.length > 1 ? sum / (sets.length - 1) : 0;
    if (score > bestScore) (best = i), (bestScore = score);
  }
  return best;
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let inter = 0;
  for (const t of a) if (b.has(t)) inter++;
  const union = a.size + b.size - inter;
  return union ? inter / union : 0;
}

/**
 * One article per intent: title from the intent, body = the intent's most typical response
 * (among replies that echo no entity of their message; placeholders kept), category and intent set, auto-reply off. With `tags > 0`, the words
 * that most set the intent's customer messages apart (share of its messages using the word
 * minus the share of other intents' messages) become tags, which the index weighs above the body.
 * Articles come out sorted by intent.
 */
export function buildSeedArticles(rows: readonly ExampleRow[], options: SeedOptions = { tags: LIMITS.tags }): SeedArticle[] {
  const byIntent = new Map<string, ExampleRow[]>();
  for (const r of rows) {
    if (!r.intent || !r.response) continue;
    let group = byIntent.get(r.intent);
    if (!group) byIntent.set(r.intent, (group = []));
    group.push(r);
  }
  const keywords = options.tags > 0 ? distinctiveWords(byIntent, options.tags) : new Map<string, string[]>();
  return [...byIntent.keys()].sort().map((intent) => {
    const group = byIntent.get(intent)!;
    // A canned answer must not echo one customer's order number or name: prefer the replies
    // that repeat no entity of their message (and hold no long number), if there are any.
    const generic = group.filter((r) => !(r.entityValue && r.response.includes(r.entityValue)) && !/\d{3,}|\$\s?\d/.test(r.response));
    const pool = generic.length ? generic : group;
    const pick = pool[mostTypical(pool.map((r) => r.response))]!;
    return {
      title: titleOfIntent(intent),
      body: pick.response.replace(/\r\n?/g, '\n').trim(),
      category: pick.category,
      intent,
      tags: keywords.get(intent) ?? [],
      language: 'en',
      autoReply: false,
    };
  });
}

const MIN_KEYWORD_MESSAGES = 3;

function distinctiveWords(byIntent: ReadonlyMap<string, readonly ExampleRow[]>, n: number): Map<string, string[]> {
  const surface = new Map<string, Map<string, number>>();
  const docFreq = new Map<string, Map<string, number>>();
  const totals = new Map<string, number>();
  let all = 0;
  const overall = new Map<string, number>();
  for (const [intent, group] of byIntent) {
    const counts = new Map<string, number>();
    for (const r of group) {
      for (const t of new Set(termsOf(r.instruction, {}, surface))) {
        counts.set(t, (counts.get(t) ?? 0) + 1);
        overall.set(t, (overall.get(t) ?? 0) + 1);
      }
    }
    docFreq.set(intent, counts);
    totals.set(intent, group.length);
    all += group.length;
  }
  const labels = surfaceLabels(surface);
  const out = new Map<string, string[]>();
  for (const [intent, counts] of docFreq) {
    const size = totals.get(intent)!;
    const ranked = [...counts]
      .map(([t, c]) => ({ t, lift: c / size - ((overall.get(t) ?? 0) - c) / Math.max(1, all - size) }))
      // At least MIN_KEYWORD_MESSAGES messages: a typo seen once is no keyword.
      .filter((x) => x.lift > 0 && (counts.get(x.t) ?? 0) >= MIN_KEYWORD_MESSAGES)
      .sort((a, b) => b.lift - a.lift || a.t.localeCompare(b.t))
      .slice(0, n);
    out.set(
      intent,
      ranked.map((x) => labels.get(x.t) ?? x.t),
    );
  }
  return out;
}
