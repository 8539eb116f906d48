import type { NeedAnalysisRecord, ReportingStore } from './reporting-store';
import { periodBounds, periodKey, previousPeriodKey, type Granularity } from './kpi';
import { analyseNeeds, SUPPORT_STOP_WORDS, type NeedMessage } from './needs';
import { nextHour, type CountedMessage, type RollupStore, type RoutedMessageLog } from './routing-counts';
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

/**
 * A period's samples: the stored ones (bundles of rolled-up hours, late messages' own), and with
 * `routed` those of the hours not rolled up yet, read from their messages as the KPI job reads
 * their counts. By message id, so an hour rolled up meanwhile is not counted twice.
 */
async function periodSamples(store: ReportingStore & Pick<RollupStore, 'rolledUpTo'>, start: string, end: string, now: Date, routed?: RoutedMessageLog): Promise<TextSample[]> {
  const byId = new Map<string, TextSample>();
  for (const day of utcDays(start, end)) {
    for (const s of await store.readTextSamples(day)) if (s.receivedAt >= start && s.receivedAt < end) byId.set(s.messageId, s);
  }
  if (routed) {
    const last = await store.rolledUpTo();
    const liveFrom = last ? `${nextHour(last)}:00:00.000Z` : start;
    const from = liveFrom > start ? liveFrom : start;
    const to = end < now.toISOString() ? end : now.toISOString();
    if (from < to) {
      await routed.forEachCounted(from, to, (m) => {
        // A late message's sample is stored already (read above).
        if (m.sample && !m.counts.direct && !byId.has(m.messageId)) byId.set(m.messageId, m.sample);
      });
    }
  }
  return [...byId.values()];
}

/** The log, each [from, to) walked once however many periods ask for it. */
function walkedOnce(log: RoutedMessageLog): RoutedMessageLog {
  const walks = new Map<string, Promise<CountedMessage[]>>();
  return {
    async forEachCounted(from, to, fn) {
      const key = `${from}|${to}`;
      if (!walks.has(key)) {
        const seen: CountedMessage[] = [];
        walks.set(key, log.forEachCounted(from, to, (m) => void seen.push(m)).then(() => seen));
      }
      (await walks.get(key)!).forEach(fn);
    },
  };
}

/** Analyses one period's messages and stores the result (an upsert: a re-run replaces it). */
export async function analysePeriod(
  store: ReportingStore & Pick<RollupStore, 'rolledUpTo'>,
  granularity: Granularity,
  key: string,
  now: Date,
  opts: NeedsJobOptions,
  routed?: RoutedMessageLog,
): Promise<NeedAnalysisRecord> {
  const { start, end } = periodBounds(key, opts.timeZone);
  const samples = await periodSamples(store, start, end, now, routed);
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
 * and month. Samples come from the reporting table and, for the hours the KPI job has not rolled
 * up yet, from their messages (`routed`); the day before is analysed again so that a late
 * sample still lands in its period.
 */
export async function runNeedsJob(
  store: ReportingStore & Pick<RollupStore, 'rolledUpTo'>,
  now: Date,
  opts: NeedsJobOptions,
  routed?: RoutedMessageLog,
): Promise<Array<{ granularity: Granularity; period: string; messages: number }>> {
  // The current week and month read the same live hours: walk them once.
  routed &&= walkedOnce(routed);
  const dayBack = (n: number) => periodKey('day', new Date(now.getTime() - n * DAY_MS), opts.timeZone);
  const periods: Array<[Granularity, string]> = [['day', dayBack(2)], ['day', dayBack(1)]];
  for (const g of ['week', 'month'] as const) {
    const current = periodKey(g, now, opts.timeZone);
    periods.push([g, previousPeriodKey(current)], [g, current]);
  }
  const out = [];
  for (const [granularity, key] of periods) {
    const r = await analysePeriod(store, granularity, key, now, opts, routed);
    out.push({ granularity, period: key, messages: r.messages });
  }
  return out;
}
