/**
 * What a routed message's counter ADDs cost as an hour fills up, on DynamoDB Local (its
 * ConsumedCapacity follows item size as DynamoDB's does): 2,000 messages in one hour spread
 * over 3 channels, 8 teams and `agents` agents, each counted in one transaction as routing
 * does. Compares the shared-item layout (every dimension in the hour's shard item) with the
 * shipped one (each agent's cells in an item of their own).
 * Run: node --import tsx test/bench/run-one.ts counter-items
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startEmulators } from '../../infra/local/emulators';
import { createResources } from '../../infra/local/resources';
import { createDocumentClient } from '../../shared/adapters/dynamo-client';
import { counterUpdates } from '../../shared/adapters/reporting-keys';
import { routedMessageCounters, type CounterIncrement } from '../../shared/analytics/counters';
import type { Channel } from '../../shared/domain/message';

const MESSAGES = 2000;
const CHANNELS: Channel[] = ['chat', 'email', 'sms'];
const TEAMS = ['orders', 'billing', 'shipping', 'accounts', 'support', 'feedback', 'triage', 'sales'];

/** The layout before: one item per hour and shard holding every dimension's cells. */
function sharedItemUpdates(table: string, inc: CounterIncrement) {
  const merged = counterUpdates(table, inc);
  const cells = Object.fromEntries(merged.filter((u) => (u.Update.Key as { pk: string }).pk.startsWith('COUNTERS#')).flatMap((u) => {
    const names = u.Update.ExpressionAttributeNames as Record<string, string>;
    const values = u.Update.ExpressionAttributeValues as Record<string, unknown>;
    return Object.entries(names).filter(([k]) => k.startsWith('#c')).map(([k, cell]) => [cell, values[`:${k.slice(1)}`]]);
  }));
  const entries = Object.entries(cells);
  return [{
    Update: {
      TableName: table,
      Key: { pk: `COUNTERS#${inc.hour.slice(0, 10)}`, sk: `${inc.hour.slice(11, 13)}#${inc.shard}#shared` },
      UpdateExpression: `ADD ${entries.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(entries.map(([c], i) => [`#c${i}`, c])),
      ExpressionAttributeValues: Object.fromEntries(entries.map(([, v], i) => [`:c${i}`, v])),
    },
  }];
}

export async function bench(log: (line: string) => void): Promise<Record<string, unknown>> {
  const emulators = await startEmulators();
  try {
    const { env } = await createResources(emulators);
    const doc = createDocumentClient(new DynamoDBClient({ endpoint: emulators.dynamodb.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }));
    const table = env.REPORTING_TABLE!;
    const results: Record<string, unknown> = {};
    for (const agents of [0, 20, 100]) {
      for (const layout of ['shared item', 'agent items'] as const) {
        let units = 0;
        let lastQuarter = 0;
        for (let i = 0; i < MESSAGES; i++) {
          const inc = routedMessageCounters({
            messageId: `msg_${agents}_${layout}_${i}`,
            channel: CHANNELS[i % CHANNELS.length]!,
            // A day of its own per run, so runs do not share items.
            receivedAt: `2040-0${1 + (agents / 20 > 4 ? 5 : agents / 20)}-${layout === 'shared item' ? '01' : '02'}T10:${String(i % 60).padStart(2, '0')}:00.000Z`,
            openedTicket: i % 3 === 0,
            team: TEAMS[i % TEAMS.length]!,
            ...(agents ? { agent: `key_a${i % agents}` } : {}),
          });
          const items = layout === 'shared item' ? sharedItemUpdates(table, inc) : counterUpdates(table, inc).filter((u) => (u.Update.Key as { pk: string }).pk.startsWith('COUNTERS#'));
          const out = await doc.send(new TransactWriteCommand({ TransactItems: items as never, ReturnConsumedCapacity: 'TOTAL' }));
          const wcu = (out.ConsumedCapacity ?? []).reduce((s, c) => s + (c.CapacityUnits ?? 0), 0);
          units += wcu;
          if (i >= MESSAGES * 0.75) lastQuarter += wcu;
        }
        const key = `${agents} agents, ${layout}`;
        results[key] = { writeUnitsPerMessage: Math.round((units / MESSAGES) * 100) / 100, lastQuarterPerMessage: Math.round((lastQuarter / (MESSAGES / 4)) * 100) / 100 };
        log(`${key.padEnd(28)} ${(units / MESSAGES).toFixed(2)} write units per message (last quarter of the hour: ${(lastQuarter / (MESSAGES / 4)).toFixed(2)})`);
      }
    }
    return results;
  } finally {
    await emulators.stop();
  }
}
