import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Billing } from './billing-costs';
import { bill, PRICED, tweakInput } from './billing-hook';
import { dynamoImages, type ImageSource } from './billing-images';
import { capacityMeter, capacityMeteringOn, useBillingModel } from './capacity-meter';

/**
 * The AWS billing meter's middleware: prices every call of a document client (billing-hook.ts)
 * into the process-wide meter, next to what DynamoDB answered in ConsumedCapacity. Loading this
 * module makes createDocumentClient() meter the clients it makes from then on.
 */

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems', 'ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction']);

interface Consumed {
  CapacityUnits?: number;
}

function record(name: string, op: string, billing: Billing | undefined, consumed: unknown, priced: boolean): void {
  const m = capacityMeter();
  m.calls[name] = (m.calls[name] ?? 0) + 1;
  const local = [(consumed as Consumed | Consumed[] | undefined) ?? []].flat().reduce((a, c) => a + (c.CapacityUnits ?? 0), 0);
  m.local[WRITES.has(op) ? 'writeUnits' : 'readUnits'] += local;
  if (local) m.local.byCommand[op] = (m.local.byCommand[op] ?? 0) + local;
  if (!billing) {
    if (!priced && !local) return;
    m.unpriced += 1;
    m[WRITES.has(op) ? 'writeUnits' : 'readUnits'] += local;
    return;
  }
  m.itemWrites += billing.itemWrites;
  for (const c of billing.costs) {
    const key = [c.command, c.table, c.index ?? '', c.item, c.kind, c.change ?? ''].join('|');
    const row = (m.breakdown[key] ??= { command: c.command, table: c.table, index: c.index ?? '', item: c.item, kind: c.kind, change: c.change ?? '', count: 0, readUnits: 0, writeUnits: 0, bytes: 0 });
    row.count += 1;
    row.bytes += c.bytes;
    row.readUnits += c.readUnits;
    row.writeUnits += c.writeUnits;
    m.readUnits += c.readUnits;
    m.writeUnits += c.writeUnits;
  }
  if (billing.transaction) {
    const tx = (m.transactions[billing.transaction] ??= { count: 0, writeUnits: 0, localWriteUnits: 0 });
    tx.count += 1;
    tx.writeUnits += billing.costs.reduce((a, c) => a + c.writeUnits, 0);
    tx.localWriteUnits += local;
  }
}

const CTX = Symbol('switchboard.billing');
interface CallState {
  op: string;
  /** The marshalled output, when the document client unmarshals it before the meter sees it. */
  raw?: Record<string, unknown>;
}
type Context = Record<PropertyKey, unknown> & { commandName?: string; [CTX]?: CallState };
type Outcome = { ok: true; result: { output: Record<string, unknown> } } | { ok: false; error: unknown };

/** A client with the same endpoint, region and credentials, and no meter: the meter's own reads. */
function unmeteredCopy(doc: DynamoDBDocumentClient): DynamoDBClient {
  const { region, credentials, endpoint } = doc.config as unknown as Record<string, never>;
  return new DynamoDBClient({ region, credentials, endpoint });
}

/** Adds the metering middleware to a document client; it meters only while metering is on. */
export function installBillingMeter(doc: DynamoDBDocumentClient, opts: { images?: ImageSource } = {}): void {
  let images = opts.images;
  // Request changes (ReturnValues for images, ReturnConsumedCapacity) go in before marshalling;
  // what the caller did not ask for is taken out of the answer again.
  doc.middlewareStack.add(
    (next, handlerContext) => async (args) => {
      if (!capacityMeteringOn()) return next(args);
      const context = handlerContext as Context;
      const op = String(context.commandName ?? '').replace(/Command$/, '');
      const tweak = tweakInput(op, args.input as Record<string, unknown>);
      context[CTX] = { op };
      try {
        const result = await next({ ...args, input: tweak.input });
        if (tweak.stripAttributes) delete (result.output as Record<string, unknown>).Attributes;
        return result;
      } catch (err) {
        if (tweak.stripItem && err && typeof err === 'object') delete (err as Record<string, unknown>).Item;
        throw err;
      }
    },
    { step: 'initialize', name: 'switchboardCapacityMeter', override: true },
  );
  // Pricing sits after serialisation: it sees the marshalled input, and runs once per call, around the retries.
  doc.middlewareStack.add(
    (next, handlerContext) => async (args) => {
      const context = handlerContext as Context;
      const state = context[CTX];
      if (!state) return next(args);
      let outcome: Outcome | undefined;
      const run = async () => {
        try {
          const result = (await next(args)) as { output: Record<string, unknown> };
          outcome = { ok: true, result };
          return state.raw ?? result.output;
        } catch (error) {
          outcome = { ok: false, error };
          throw error;
        }
      };
      const priced = PRICED.has(state.op);
      const billing = priced ? await bill(state.op, args.input as Record<string, unknown>, (images ??= dynamoImages(unmeteredCopy(doc))), run).catch(() => undefined) : undefined;
      if (!outcome) await run().catch(() => undefined);
      const done = outcome as unknown as Outcome;
      record(String(context.commandName), state.op, billing, done.ok ? (state.raw ?? done.result.output).ConsumedCapacity : undefined, priced && done.ok);
      if (!done.ok) throw done.error;
      return done.result as never;
    },
    { step: 'build', name: 'switchboardBilling', override: true },
  );
  // The document client unmarshals inside the deserialize step; a tap just inside it keeps the marshalled output.
  const send = doc.send.bind(doc) as (...a: unknown[]) => Promise<unknown>;
  type Next = (args: unknown) => Promise<{ output: unknown }>;
  type Tappable = { clientCommand?: unknown; middlewareStack: { addRelativeTo(mw: (next: Next, c: unknown) => Next, o: object): void } };
  (doc as { send: unknown }).send = (command: Tappable, ...rest: unknown[]) => {
    if (command?.clientCommand && capacityMeteringOn()) {
      command.middlewareStack.addRelativeTo(
        (next, handlerContext) => async (args) => {
          const result = await next(args);
          const state = (handlerContext as Context)[CTX];
          if (state) state.raw = result.output as Record<string, unknown>;
          return result;
        },
        { relation: 'after', toMiddleware: 'DocumentUnmarshall', name: 'switchboardRawOutput', override: true },
      );
    }
    return send(command, ...rest);
  };
}

useBillingModel((doc) => installBillingMeter(doc));
