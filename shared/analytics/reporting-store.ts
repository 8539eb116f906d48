import type { Page } from '../lib/page';
import type { CounterIncrement } from './counters';
import type { Granularity, KpiRow } from './kpi';
import type { NeedAnalysis } from './needs';
import type { TextSample } from './text-samples';

export type { KpiRow };

/** A stored forecast run for one channel, with its own accuracy next to it. */
export interface ForecastRecord {
  channel: string;
  /** Day the run was made (YYYY-MM-DD) — also its sort key, so a re-run the same day overwrites it. */
  runDay: string;
  generatedAt: string;
  /** Last day of history used. */
  historyEnd: string;
  historyDays: number;
  model: string;
  daily: Array<{ date: string; forecast: number; lower: number; upper: number }>;
  /** Rolling-origin accuracy on the latest history; null with a reason when history is too short. */
  accuracy: { mase: number | null; baselineMase?: number | null; origins: number; horizon: number; reason?: string };
  /** Agents needed per hour for the target service level (Erlang C). */
  staffing?: {
    serviceLevelTarget: number;
    answerWithinSeconds: number;
    averageHandleSeconds: number;
    /** `measured`: agents' logged handling time over the last 28 days (`handlingLogs` samples); else the configured value. */
    averageHandleSource?: 'measured' | 'configured';
    handlingLogs?: number;
    hourly: Array<{ hour: string; contacts: number; agents: number; serviceLevel: number }>;
  };
}

/** A stored need analysis of one period (top terms per category × channel, topics). */
export interface NeedAnalysisRecord {
  granularity: Granularity;
  periodKey: string;
  start: string;
  end: string;
  /** Messages analysed, and how many of the period's samples there were (topics use a capped sample). */
  messages: number;
  sampled: number;
  analysis: NeedAnalysis;
  computedAt: string;
}

/** What the analytics jobs and the reports API need from the reporting table. */
export interface ReportingStore {
  /** Every counter shard of one UTC day (`YYYY-MM-DD`). */
  readCounterDay(day: string): Promise<Array<Record<string, unknown>>>;
  /** The all-time totals shards. */
  readTotals(): Promise<Array<Record<string, unknown>>>;
  /** Upserts KPI rows (same key → same row, so a re-run replaces, never duplicates). */
  putKpiRows(rows: KpiRow[]): Promise<void>;
  /** KPI rows of one series with period keys in [from, to], oldest first. */
  listKpiRows(granularity: Granularity, dimension: string, range: { from: string; to: string }, opts: { limit: number; cursor?: string }): Promise<Page<KpiRow>>;
  /** Stores a forecast run and makes it the channel's latest. */
  putForecast(record: ForecastRecord): Promise<void>;
  /** The latest forecast of a channel, if any. */
  getLatestForecast(channel: string): Promise<ForecastRecord | undefined>;
  /**
   * Adds a business event's counters once per event id: `duplicate` when the id was
   * recorded before (nothing added).
   */
  recordBusinessEvent(eventId: string, counters: CounterIncrement): Promise<'recorded' | 'duplicate'>;
  /**
   * Claims a customer's activity marker of a month for each scope (`all`, `channel#…`) not yet
   * marked, for message `by`: the scopes whose marker is this message's (new, or claimed by its
   * earlier run), and of those the ones marked the month before too (retained); `heldBy`: the
   * message holding every scope's marker, when it read them all held by one other message.
   */
  claimActivity(input: { customerId: string; scopes: readonly string[]; month: string; previousMonth: string; by: string }): Promise<{ active: string[]; retained: string[]; heldBy?: string }>;
  /** Every message text sample of one UTC day (all shards: bundles and single samples). */
  readTextSamples(day: string): Promise<TextSample[]>;
  /** Upserts a period's need analysis. */
  putNeedAnalysis(record: NeedAnalysisRecord): Promise<void>;
  getNeedAnalysis(granularity: Granularity, periodKey: string): Promise<NeedAnalysisRecord | undefined>;
}
