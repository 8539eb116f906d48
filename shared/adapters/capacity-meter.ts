import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Cost } from './billing-costs';

/**
 * Opt-in metering of DynamoDB capacity, priced as AWS bills it (capacity-billing.ts), and of SQS
 * requests, summed in a process-wide meter. `npm run bench` prices a message from it. Off unless
 * SWITCHBOARD_CAPACITY_METER=1 or setCapacityMetering(true): pricing reads items around each
 * write, which a latency run must not pay for.
 */
export interface CapacityRow {
  command: string;
  table: string;
  /** '' for the table's own arm. */
  index: string;
  item: string;
  kind: Cost['kind'];
  /** Index writes: put, delete or update ('' otherwise). */
  change: string;
  count: number;
  readUnits: number;
  writeUnits: number;
  /** Sum of the sizes billed (divide by count for the average item, entry or page). */
  bytes: number;
}

export interface CapacityTotals {
  /** Read and write units as AWS bills them. */
  readUnits: number;
  writeUnits: number;
  /** Items written (a transaction of three items counts three; condition checks do not count). */
  itemWrites: number;
  calls: Record<string, number>;
  /** SQS API requests by command (each is billed as one request per 64 KB). */
  sqsRequests: Record<string, number>;
  /** What DynamoDB Local reported (ConsumedCapacity), for comparison: its rounding is not AWS's. */
  local: { readUnits: number; writeUnits: number; byCommand: Record<string, number> };
  /** Per command, table, index, item type and kind (base, index, failed, cancelled). */
  breakdown: Record<string, CapacityRow>;
  /** Transactions by shape ('Update TICKET + Put MSG'; cancelled ones apart), with DynamoDB Local's figure. */
  transactions: Record<string, { count: number; writeUnits: number; localWriteUnits: number }>;
  /** Calls the model could not price; DynamoDB Local's figure stands in for them. */
  unpriced: number;
}

const METER = Symbol.for('switchboard.capacityMeter');
const SWITCH = Symbol.for('switchboard.capacityMetering');
type Global = typeof globalThis & { [METER]?: CapacityTotals; [SWITCH]?: boolean };
const g = globalThis as Global;

const empty = (): CapacityTotals => ({
  readUnits: 0, writeUnits: 0, itemWrites: 0, calls: {}, sqsRequests: {},
  local: { readUnits: 0, writeUnits: 0, byCommand: {} }, breakdown: {}, transactions: {}, unpriced: 0,
});

export function capacityMeter(): CapacityTotals {
  return (g[METER] ??= empty());
}

export function resetCapacityMeter(): void {
  Object.assign(capacityMeter(), empty());
}

/** Switches DynamoDB metering on or off for the whole process; undefined returns to the env switch. */
export function setCapacityMetering(enabled: boolean | undefined): void {
  g[SWITCH] = enabled;
}

export const capacityMeteringOn = (): boolean => g[SWITCH] ?? process.env.SWITCHBOARD_CAPACITY_METER === '1';

/** Installs the AWS billing meter on a document client; set by capacity-billing.ts when it is loaded. */
type Installer = (doc: DynamoDBDocumentClient) => void;
const INSTALLER = Symbol.for('switchboard.capacityBilling');
const registry = globalThis as typeof globalThis & { [INSTALLER]?: Installer };

/**
 * Meters a document client when the billing model is loaded in this process (the bench loads it
 * through capacity-report.ts; tests import capacity-billing.ts). Function bundles never load it,
 * so they carry none of its code and a bundle's cold start does no metering reads.
 */
export function meterCapacity(doc: DynamoDBDocumentClient): void {
  registry[INSTALLER]?.(doc);
}

export function useBillingModel(install: Installer): void {
  registry[INSTALLER] = install;
}

/** Counts SQS requests of a client when the env switch is on (free to count, so setCapacityMetering leaves it alone). */
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
