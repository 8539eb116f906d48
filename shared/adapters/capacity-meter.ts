import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * Opt-in metering (env SWITCHBOARD_CAPACITY_METER=1) of DynamoDB consumed capacity
 * — every call asks for ReturnConsumedCapacity — and of SQS requests, summed in a
 * process-wide meter. `npm run bench` uses it to price a message from measured
 * units, not guesses; it is off in normal runs.
 */
export interface CapacityTotals {
  readUnits: number;
  writeUnits: number;
  /** Items written (a transaction of three items counts three). */
  itemWrites: number;
  calls: Record<string, number>;
  /** SQS API requests by command (each is billed as one request per 64 KB). */
  sqsRequests: Record<string, number>;
}

const METER = Symbol.for('switchboard.capacityMeter');
type Global = typeof globalThis & { [METER]?: CapacityTotals };

export function capacityMeter(): CapacityTotals {
  const g = globalThis as Global;
  return (g[METER] ??= { readUnits: 0, writeUnits: 0, itemWrites: 0, calls: {}, sqsRequests: {} });
}

export function resetCapacityMeter(): void {
  const m = capacityMeter();
  m.readUnits = 0;
  m.writeUnits = 0;
  m.itemWrites = 0;
  m.calls = {};
  m.sqsRequests = {};
}

// Command names as the middleware sees them (the low-level client's), plus the document client's.
const WRITES = new Set([
  'PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand',
  'PutCommand', 'UpdateCommand', 'DeleteCommand', 'BatchWriteCommand', 'TransactWriteCommand',
]);

interface Consumed {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

/** Adds the metering middleware to a document client when the env switch is on. */
export function meterCapacity(doc: DynamoDBDocumentClient, env: NodeJS.ProcessEnv = process.env): void {
  if (env.SWITCHBOARD_CAPACITY_METER !== '1') return;
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const name = String(context.commandName ?? 'unknown');
      const consumed = (result.output as { ConsumedCapacity?: Consumed | Consumed[] }).ConsumedCapacity;
      const units = [consumed ?? []].flat().reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
      const meter = capacityMeter();
      if (WRITES.has(name)) {
        meter.writeUnits += units;
        meter.itemWrites += Array.isArray(input.TransactItems) ? input.TransactItems.length : 1;
      } else meter.readUnits += units;
      meter.calls[name] = (meter.calls[name] ?? 0) + 1;
      return result;
    },
    { step: 'initialize', name: 'switchboardCapacityMeter' },
  );
}

/** Counts SQS requests of a client when the env switch is on. */
export function meterSqs(sqs: SQSClient, env: NodeJS.ProcessEnv = process.env): void {
  if (env.SWITCHBOARD_CAPACITY_METER !== '1') return;
  sqs.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName ?? 'unknown');
      const meter = capacityMeter();
      meter.sqsRequests[name] = (meter.sqsRequests[name] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: 'switchboardSqsMeter' },
  );
}
