/**
 * THE ONE PLACE WHERE THE BENCH READS STORAGE INTERNALS of the crm table: how a message
 * is known to be routed, where its receivedAt / routedAt are read from, and the count of
 * messages stored but not yet routed (the sweeper's PENDING work list on gsi3). When the
 * table layout changes (message items, the PENDING index, MSG#<id> keys), adapt this
 * module and nothing else in test/bench.
 *
 * Everything else in the bench goes through the HTTP API or SQS.
 *
 * The client is deliberately not metered (no `createDocumentClient`): the bench's own
 * reads must not count in the pipeline's read units per message.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../shared/adapters/crm-keys';

/** Epoch milliseconds; `routedAt` undefined while the message is not routed (or not stored). */
export interface RoutedTime {
  receivedAt: number;
  routedAt?: number;
}

export interface RoutedTimes {
  /** Messages stored but not yet routed, all sessions (not only the bench's). */
  pendingCount(): Promise<number>;
  /** receivedAt / routedAt of these message ids; ids not stored are absent from the map. */
  read(ids: readonly string[]): Promise<Map<string, RoutedTime>>;
  close(): void;
}

export function routedTimes(env: Record<string, string | undefined>): RoutedTimes {
  const client = new DynamoDBClient({ endpoint: env.AWS_ENDPOINT_URL_DYNAMODB, region: env.AWS_REGION });
  const doc = DynamoDBDocumentClient.from(client);
  const table = env.CRM_TABLE!;
  return {
    async pendingCount() {
      let count = 0;
      let start: Record<string, unknown> | undefined;
      do {
        const out = await doc.send(
          new QueryCommand({
            TableName: table,
            IndexName: 'gsi3',
            KeyConditionExpression: 'gsi3pk = :p',
            ExpressionAttributeValues: { ':p': keys.pending },
            Select: 'COUNT',
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        count += out.Count ?? 0;
        start = out.LastEvaluatedKey;
      } while (start);
      return count;
    },
    async read(ids) {
      const times = new Map<string, RoutedTime>();
      for (let i = 0; i < ids.length; i += 100) {
        let request: Record<string, { Keys: Array<Record<string, unknown>>; ProjectionExpression: string; ConsistentRead: boolean }> | undefined = {
          [table]: {
            Keys: ids.slice(i, i + 100).map((id) => keys.message(id)),
            ProjectionExpression: 'messageId, receivedAt, routedAt',
            ConsistentRead: true,
          },
        };
        while (request && Object.keys(request).length) {
          const out = await doc.send(new BatchGetCommand({ RequestItems: request }));
          for (const item of out.Responses?.[table] ?? []) {
            const routed = item.routedAt === undefined ? NaN : Date.parse(String(item.routedAt));
            times.set(String(item.messageId), {
              receivedAt: Date.parse(String(item.receivedAt)),
              ...(Number.isNaN(routed) ? {} : { routedAt: routed }),
            });
          }
          request = out.UnprocessedKeys as typeof request;
        }
      }
      return times;
    },
    close: () => client.destroy(),
  };
}
