import { BatchGetCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { HourCells } from '../analytics/routing-counts';
import type { CounterIncrement } from '../analytics/counters';
import { bundleSamples, sampleExpiry, TEXT_SAMPLE_SHARDS, type TextSample } from '../analytics/text-samples';
import type { Granularity } from '../analytics/kpi';
import type { ForecastRecord, KpiRow, NeedAnalysisRecord, ReportingStore } from '../analytics/reporting-store';
import type { Page } from '../lib/page';
import { encodeCursor, startKeyOf } from './crm-keys';
import { batchPut } from './dynamo-batch';
import { createDocumentClient } from './dynamo-client';
import { failedConditions, isConditionFailure, translate } from './dynamo-errors';

/** Writes per rollup transaction (the limit is 100, one is the chunk's marker). */
const ROLLUP_CHUNK = 90;
import { counterUpdates, reportingKeys } from './reporting-keys';

/** The reporting table behind the ReportingStore port. Layout: see reporting-keys.ts. */
export class DynamoReportingStore implements ReportingStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly table: string;
  constructor(opts: { tableName: string; client?: DynamoDBDocumentClient }) {
    this.doc = opts.client ?? createDocumentClient();
    this.table = opts.tableName;
  }

  readCounterDay(day: string): Promise<Array<Record<string, unknown>>> {
    return this.queryAll(reportingKeys.counterDay(day));
  }

  readTotals(): Promise<Array<Record<string, unknown>>> {
    return this.queryAll(reportingKeys.totalsPk);
  }

  async rolledUpTo(): Promise<string | undefined> {
    try {
      const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: reportingKeys.rollupState, ConsistentRead: true }));
      return typeof out.Item?.lastHour === 'string' ? out.Item.lastHour : undefined;
    } catch (err) {
      return translate(err, 'read the rollup state');
    }
  }

  /**
   * Writes a source hour's cells as counter items of their target hours, with the totals, in
   * transactions of at most ROLLUP_CHUNK items, each with its own marker: a rerun (after a crash
   * midway) skips the chunks already written, so every cell is added once.
   */
  async putRollup(sourceHour: string, cells: HourCells): Promise<void> {
    // In key order: the same cells always make the same chunks, whatever order the messages were read in.
    const keyOf = (u: { Update: Record<string, unknown> }) => { const k = u.Update.Key as { pk: string; sk: string }; return `${k.pk}|${k.sk}`; };
    const updates = [...cells]
      .flatMap(([hour, c]) => (Object.keys(c).length ? counterUpdates(this.table, { hour, shard: `r${sourceHour}`, cells: Object.fromEntries(Object.entries(c).sort(([a], [b]) => a.localeCompare(b))) }, 'r') : []))
      .sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
    for (let i = 0, chunk = 0; i < updates.length; i += ROLLUP_CHUNK, chunk++) {
      const marker = { Put: { TableName: this.table, Item: { ...reportingKeys.rollup(sourceHour, chunk), type: 'rollup' }, ConditionExpression: 'attribute_not_exists(pk)' } };
      try {
        await this.doc.send(new TransactWriteCommand({ TransactItems: [marker, ...updates.slice(i, i + ROLLUP_CHUNK)] as never }));
      } catch (err) {
        if (!failedConditions(err)?.includes(0)) translate(err, 'write the rollup');
      }
    }
  }

  async markRolledUpTo(sourceHour: string): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: reportingKeys.rollupState,
          UpdateExpression: 'SET lastHour = :h',
          ConditionExpression: 'attribute_not_exists(lastHour) OR lastHour < :h',
          ExpressionAttributeValues: { ':h': sourceHour },
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) translate(err, 'move the rollup state');
    }
  }

  putKpiRows(rows: KpiRow[]): Promise<void> {
    const items = rows.map((r) => ({ pk: reportingKeys.kpiSeries(r.granularity, r.dimension), sk: r.periodKey, type: 'kpi', ...r }));
    return batchPut(this.doc, this.table, items, 'write KPI rows');
  }

  async listKpiRows(
    granularity: Granularity,
    dimension: string,
    range: { from: string; to: string },
    opts: { limit: number; cursor?: string },
  ): Promise<Page<KpiRow>> {
    const start = startKeyOf(opts.cursor);
    try {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': reportingKeys.kpiSeries(granularity, dimension), ':from': range.from, ':to': range.to },
          Limit: opts.limit,
          ExclusiveStartKey: start,
        }),
      );
      const items = (out.Items ?? []).map(({ pk, sk, type, ...row }) => row as KpiRow);
      return { items, next: encodeCursor(out.LastEvaluatedKey) };
    } catch (err) {
      return translate(err, 'read KPI rows');
    }
  }

  async putForecast(record: ForecastRecord): Promise<void> {
    const pk = reportingKeys.forecastSeries(record.channel);
    try {
      // The run and the LATEST pointer together: readers never see one without the other.
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.table, Item: { pk, sk: record.runDay, type: 'forecast', ...record } } },
            { Put: { TableName: this.table, Item: { pk, sk: reportingKeys.latest, type: 'forecast', ...record } } },
          ],
        }),
      );
    } catch (err) {
      translate(err, 'store the forecast');
    }
  }

  async getLatestForecast(channel: string): Promise<ForecastRecord | undefined> {
    try {
      const out = await this.doc.send(
        new GetCommand({ TableName: this.table, Key: { pk: reportingKeys.forecastSeries(channel), sk: reportingKeys.latest } }),
      );
      if (!out.Item) return undefined;
      const { pk, sk, type, ...record } = out.Item;
      return record as ForecastRecord;
    } catch (err) {
      return translate(err, 'read the forecast');
    }
  }

  async recordBusinessEvent(eventId: string, counters: CounterIncrement): Promise<'recorded' | 'duplicate'> {
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            // The event's marker: a second delivery of the same id fails here and adds nothing.
            { Put: { TableName: this.table, Item: { pk: reportingKeys.businessEvent(eventId), sk: 'EVENT', type: 'business-event', at: counters.hour }, ConditionExpression: 'attribute_not_exists(pk)' } },
            ...counterUpdates(this.table, counters),
          ] as never,
        }),
      );
      return 'recorded';
    } catch (err) {
      if (failedConditions(err)?.includes(0)) return 'duplicate';
      return translate(err, 'record the business event');
    }
  }

  async claimActivity(input: { customerId: string; scopes: readonly string[]; month: string; previousMonth: string; by: string }): Promise<{ active: string[]; retained: string[]; heldBy?: string }> {
    const key = (month: string, scope: string) => reportingKeys.activeCustomer(month, input.customerId, scope);
    const id = (k: { pk: string; sk: string }) => `${k.pk}|${k.sk}`;
    const markers = new Map<string, Record<string, unknown>>();
    try {
      // One read for every marker (eventually consistent: a claim below is conditional anyway).
      const keys = input.scopes.flatMap((s) => [key(input.month, s), key(input.previousMonth, s)]);
      const out = await this.doc.send(new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys, ProjectionExpression: 'pk, sk, #by', ExpressionAttributeNames: { '#by': 'by' } } } }));
      if (out.UnprocessedKeys && Object.keys(out.UnprocessedKeys).length) throw new Error('DynamoDB left activity markers unread (throttled)');
      for (const i of out.Responses?.[this.table] ?? []) markers.set(`${String(i.pk)}|${String(i.sk)}`, i);
    } catch (err) {
      return translate(err, 'read the activity markers');
    }
    const active: string[] = [];
    for (const scope of input.scopes) {
      const marker = markers.get(id(key(input.month, scope)));
      if (marker) {
        if (marker.by === input.by) active.push(scope);
        continue;
      }
      try {
        await this.doc.send(new PutCommand({ TableName: this.table, Item: { ...key(input.month, scope), type: 'active-customer', by: input.by }, ConditionExpression: 'attribute_not_exists(pk) OR #by = :by', ExpressionAttributeNames: { '#by': 'by' }, ExpressionAttributeValues: { ':by': input.by } }));
        active.push(scope);
      } catch (err) {
        // Another message of the customer claimed it first: theirs to count.
        if (!isConditionFailure(err)) return translate(err, 'mark the customer active');
      }
    }
    // Every scope held by one other message, as read: what the container may remember.
    const holders = new Set(input.scopes.map((s) => markers.get(id(key(input.month, s)))?.by));
    const heldBy = !active.length && holders.size === 1 ? [...holders][0] : undefined;
    return { active, retained: active.filter((s) => markers.has(id(key(input.previousMonth, s)))), ...(typeof heldBy === 'string' ? { heldBy } : {}) };
  }

  /** Bundles of a source hour, spread over the day's shards; the same samples give the same items (BatchWrite puts). */
  putTextSamples(sourceHour: string, samples: TextSample[]): Promise<void> {
    const expiresAt = sampleExpiry(`${sourceHour}:00:00.000Z`);
    const items = bundleSamples(samples).map((bundle, part) => ({
      pk: reportingKeys.textSamples(sourceHour.slice(0, 10), part % TEXT_SAMPLE_SHARDS),
      sk: reportingKeys.textSampleBundle(sourceHour, part),
      type: 'text-samples',
      samples: bundle,
      expiresAt,
    }));
    return batchPut(this.doc, this.table, items, 'store the text samples');
  }

  async readTextSamples(day: string): Promise<TextSample[]> {
    const shards = await Promise.all(Array.from({ length: TEXT_SAMPLE_SHARDS }, (_, i) => this.queryAll(reportingKeys.textSamples(day, i))));
    return shards.flat().flatMap(({ pk, sk, type, expiresAt, samples, ...s }) => (type === 'text-samples' ? (samples as TextSample[]) : [s as unknown as TextSample]));
  }

  async putNeedAnalysis(record: NeedAnalysisRecord): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({ TableName: this.table, Item: { pk: reportingKeys.needs(record.granularity), sk: record.periodKey, type: 'needs', ...record } }),
      );
    } catch (err) {
      translate(err, 'store the need analysis');
    }
  }

  async getNeedAnalysis(granularity: Granularity, periodKey: string): Promise<NeedAnalysisRecord | undefined> {
    try {
      const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: reportingKeys.needs(granularity), sk: periodKey } }));
      if (!out.Item) return undefined;
      const { pk, sk, type, ...record } = out.Item;
      return record as NeedAnalysisRecord;
    } catch (err) {
      return translate(err, 'read the need analysis');
    }
  }

  private async queryAll(pk: string): Promise<Array<Record<string, unknown>>> {
    const items: Array<Record<string, unknown>> = [];
    let start: Record<string, unknown> | undefined;
    try {
      do {
        const out = await this.doc.send(
          new QueryCommand({ TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ExclusiveStartKey: start }),
        );
        items.push(...(out.Items ?? []));
        start = out.LastEvaluatedKey;
      } while (start);
    } catch (err) {
      translate(err, 'read counters');
    }
    return items;
  }
}
