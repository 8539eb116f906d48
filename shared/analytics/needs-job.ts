import type { NeedAnalysisRecord, ReportingStore } from './reporting-store';
import { periodBounds, periodKey, previousPeriodKey, type Granularity } from './kpi';
import { analyseNeeds, SUPPORT_STOP_WORDS, type NeedMessage } from './needs';
import type { TextSample } from './text-samples';

export interface NeedsJobOptions {
  /** Zone of the period boundaries (the KPI job's). Samples are kept by UTC day and filtered by instant. */
  timeZone: string;
  /** Messages the topic model and term counts take at most per period: a deterministic sample beyond it. */
  maxMessages: number;
  /** Topics per period. */
  topics: number;
}

const DAY_MS = 86_400_000;

/** UTC days that overlap [start, end). */
function utcDays(start: string, end: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(start.slice(0, 10)); t < Date.parse(end); t += DAY_MS) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/** Every k-th sample in id order when there are too many: the same sample on every run. */
function capped(samples: TextSample[], max: number): TextSample[] {
  const sorted = [...samples].sort((a, b) => (a.messageId < b.messageId ? -1 : 1));
  if (sorted.length <= max) return sorted;
  const step = sorted.length / max;
  return Array.from({ length: max }, (_, i) => sorted[Math.floor(i * step)]!);
}

/** Analyses one period's messages and stores the result (an upsert: a re-run replaces it). */
export async function analysePeriod(store: ReportingStore, granularity: Granularity, key: string, now: Date, opts: NeedsJobOptions): Promise<NeedAnalysisRecord> {
  const { start, end } = periodBounds(key, opts.timeZone);
  const samples: TextSample[] = [];
  for (const day of utcDays(start, end)) {
    for (const s of await store.readTextSamples(day)) if (s.receivedAt >= start && s.receivedAt < end) samples.push(s);
  }
  const used = capped(samples, opts.maxMessages);
  const messages: NeedMessage[] = used.map((s) => ({ text: s.text, category: s.category, channel: s.channel }));
  const record: NeedAnalysisRecord = {
    granularity,
    periodKey: key,
    start,
    end,
    messages: used.length,
    sampled: samples.length,
    // Support filler words (help, please, want...) say nothing about needs.
    analysis: analyseNeeds(messages, { extraStopWords: SUPPORT_STOP_WORDS, lda: { k: messages.length >= 50 ? opts.topics : 0 } }),
    computedAt: now.toISOString(),
  };
  await store.putNeedAnalysis(record);
  return record;
}

/**
 * Daily: need analysis of yesterday and the day before, and of the current and previous week
 * and month. A closed hour's samples land when the hourly rollup reaches it (up to about 75
 * minutes after the hour), so a day is analysed again the next day with all of them, and a late
 * sample still lands in its period. Reads only the reporting table's samples.
 */
export async function runNeedsJob(store: ReportingStore, now: Date, opts: NeedsJobOptions): Promise<Array<{ granularity: Granularity; period: string; messages: number }>> {
  const dayBack = (n: number) => periodKey('day', new Date(now.getTime() - n * DAY_MS), opts.timeZone);
  const periods: Array<[Granularity, string]> = [['day', dayBack(2)], ['day', dayBack(1)]];
  for (const g of ['week', 'month'] as const) {
    const current = periodKey(g, now, opts.timeZone);
    periods.push([g, previousPeriodKey(current)], [g, current]);
  }
  const out = [];
  for (const [granularity, key] of periods) {
    const r = await analysePeriod(store, granularity, key, now, opts);
    out.push({ granularity, period: key, messages: r.messages });
  }
  return out;
}
