import { fitLda, type LdaOptions } from './lda';
import { surfaceLabels, termsOf, type TermOptions } from './tokenize';
import { countTermsByGroup, topTermsByGroup, type TermScoring } from './top-terms';

/**
 * Need analysis of a period's messages (seeds 001, 003): what customers ask for, per category ×
 * channel, as top terms, and across all messages as topics. Pure: the job passes the messages in.
 */

/** One inbound message of the period. */
export interface NeedMessage {
  text: string;
  category: string;
  channel: string;
}

export interface NeedAnalysisOptions extends TermOptions {
  /** Terms listed per group (default 10). */
  topTerms?: number;
  /** Terms seen fewer times in a group are not ranked (default 2). */
  minCount?: number;
  /** How the `distinctive` list is scored against the other groups (default log-odds). */
  distinctiveScoring?: Exclude<TermScoring, 'frequency'>;
  /** Topic model settings; `k: 0` skips topics. Default k = 8. */
  lda?: Partial<LdaOptions>;
}

/** A term as reported: its stem, the word users wrote most for it, count and score. */
export interface NeedTerm {
  term: string;
  label: string;
  count: number;
  score: number;
}

export interface NeedGroup {
  /** `category × channel` (see needGroupKey). */
  group: string;
  category: string;
  channel: string;
  messages: number;
  /** Most frequent terms in the group. */
  frequent: NeedTerm[];
  /** Terms the group uses more than the other groups do. */
  distinctive: NeedTerm[];
}

export interface NeedTopic {
  /** Top words with their probability φ in the topic. */
  words: Array<{ term: string; label: string; weight: number }>;
  /** Share of all kept tokens in the topic. */
  share: number;
  /** Messages whose most probable topic this is. */
  messages: number;
}

export interface NeedAnalysis {
  messages: number;
  groups: NeedGroup[];
  topics: NeedTopic[];
}

/** The group key of a category and channel: `ORDER × email`. */
export function needGroupKey(category: string, channel: string): string {
  return `${category} × ${channel}`;
}

/** Top terms per category × channel and topics over all messages. Deterministic for given options. */
export function analyseNeeds(messages: readonly NeedMessage[], options: NeedAnalysisOptions = {}): NeedAnalysis {
  const { topTerms = 10, minCount = 2, distinctiveScoring = 'log-odds', lda = {} } = options;
  const surface = new Map<string, Map<string, number>>();
  const docs = messages.map((m) => ({ group: needGroupKey(m.category, m.channel), terms: termsOf(m.text, options, surface) }));
  const labels = surfaceLabels(surface);
  const named = (t: { term: string; count: number; score: number }): NeedTerm => ({ ...t, label: labels.get(t.term) ?? t.term });

  const counts = countTermsByGroup(docs);
  const frequent = topTermsByGroup(counts, { n: topTerms, minCount, scoring: 'frequency' });
  const distinctive = topTermsByGroup(counts, { n: topTerms, minCount, scoring: distinctiveScoring });
  const sizes = new Map<string, number>();
  for (const d of docs) sizes.set(d.group, (sizes.get(d.group) ?? 0) + 1);
  const groups: NeedGroup[] = [];
  const seen = new Set<string>();
  for (const m of messages) {
    const group = needGroupKey(m.category, m.channel);
    if (seen.has(group)) continue;
    seen.add(group);
    groups.push({
      group,
      category: m.category,
      channel: m.channel,
      messages: sizes.get(group) ?? 0,
      frequent: (frequent.get(group) ?? []).map(named),
      distinctive: (distinctive.get(group) ?? []).map(named),
    });
  }
  groups.sort((a, b) => b.messages - a.messages || (a.group < b.group ? -1 : 1));

  const k = lda.k ?? 8;
  let topics: NeedTopic[] = [];
  if (k > 0 && messages.length > 0) {
    const model = fitLda(
      docs.map((d) => d.terms),
      { ...lda, k },
    );
    topics = model.topics.map((t, i) => ({
      words: t.words.map((w) => ({ term: w.term, label: labels.get(w.term) ?? w.term, weight: w.weight })),
      share: t.share,
      messages: model.docTopic.filter((x) => x === i).length,
    }));
  }
  return { messages: messages.length, groups, topics };
}
