/**
 * THE ONE PLACE WHERE THE BENCH READS STORAGE INTERNALS of the crm table: how a message
 * is known to be routed and where its receivedAt / routedAt are read from (message items
 * under MSG#<id> keys). When the table layout changes, adapt this module and nothing else
 * in test/bench.
 *
 * Everything else in the bench goes through the HTTP API or SQS.
 *
 * The client is deliberately not metered (no `createDocumentClient`): the bench's own
 * reads must not count in the pipeline's read units per message.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../shared/adapters/crm-keys';

/** Epoch milliseconds; `routedAt` undefined while the message is not routed (or not stored). */
export interface RoutedTime {
  receivedAt: number;
  routedAt?: number;
}

export interface RoutedTimes {
  /** Of these message ids, how many are not routed yet (or not stored). */
  unroutedCount(ids: readonly string[]): Promise<number>;
  /** receivedAt / routedAt of these message ids; ids not stored are absent from the map. */
  read(ids: readonly string[]): Promise<Map<string, RoutedTime>>;
  close(): void;
}

export function routedTimes(env: Record<string, string | undefined>): RoutedTimes {
  const client = new DynamoDBClient({ endpoint: env.AWS_ENDPOINT_URL_DYNAMODB, region: env.AWS_REGION });
  const doc = DynamoDBDocumentClient.from(client);
  const table = env.CRM_TABLE!;
  return {
    async unroutedCount(ids) {
      const times = await this.read(ids);
      return ids.filter((id) => times.get(id)?.routedAt === undefined).length;
    },
    async read(ids) {
      const times = new Map<string, RoutedTime>();
      for (let i = 0; i < ids.length; i += 100) {
        let request: Record<string, { Keys: Array<Record<string, unknown>>; ProjectionExpression: string; ConsistentRead: boolean }> | undefined = {
          [table]: {
            Keys: ids.slice(i, i + 100).map((id) => keys.message(id)),
            ProjectionExpression: 'pk, receivedAt, routedAt',
            ConsistentRead: true,
          },
        };
        while (request && Object.keys(request).length) {
          const out = await doc.send(new BatchGetCommand({ RequestItems: request }));
          for (const item of out.Responses?.[table] ?? []) {
            const routed = item.routedAt === undefined ? NaN : Date.parse(String(item.routedAt));
            times.set(String(item.pk).slice('MSG#'.length), {
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
