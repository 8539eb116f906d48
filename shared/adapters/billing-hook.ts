import { canonItem, indexWrites, keyOf, tableWriteUnits, writeUnits, type TableInfo } from './aws-billing';
import { itemLabel, type Billing, type Cost } from './billing-costs';
import type { ImageSource } from './billing-images';
import { read } from './billing-reads';
import { itemSize, type Item } from './item-size';

/**
 * Prices one DynamoDB call as AWS bills it, from the item images before and after it
 * (see aws-billing.ts for the rules and their sources). Runs the call itself, so that it
 * can read the images around it.
 *
 * Images: PutItem/DeleteItem/UpdateItem ask for ALL_OLD (before) and, when a condition
 * fails, ReturnValuesOnConditionCheckFailure ALL_OLD (the item the failure is billed on);
 * an update's after image, and the before/after images of transactions and batch writes
 * (which cannot return values), are read around the call. Every metered write holds a
 * per-item lock in this process from its first read to its last, so concurrent metered
 * writers cannot slip between; writers in other processes still could.
 */
type Input = Record<string, any>;
type Output = Record<string, any>;

/** Request changes the pricing needs; `strip*` say which extra outputs to hide from the caller. */
export function tweakInput(op: string, input: Input): { input: Input; stripAttributes: boolean; stripItem: boolean } {
  const out: Input = { ...input, ReturnConsumedCapacity: 'INDEXES' };
  const single = op === 'PutItem' || op === 'UpdateItem' || op === 'DeleteItem';
  const stripAttributes = single && (!input.ReturnValues || input.ReturnValues === 'NONE');
  const stripItem = single && !input.ReturnValuesOnConditionCheckFailure;
  if (stripAttributes) out.ReturnValues = 'ALL_OLD';
  if (stripItem) out.ReturnValuesOnConditionCheckFailure = 'ALL_OLD';
  return { input: out, stripAttributes, stripItem };
}

// Process-wide, like the meter itself, in case a module is loaded twice.
const LOCKS = Symbol.for('switchboard.billingLocks');
const tails: Map<string, Promise<void>> = ((globalThis as Record<symbol, unknown>)[LOCKS] ??= new Map()) as Map<string, Promise<void>>;

/** Runs `fn` holding the locks of `keys` (taken in sorted order, so two writers cannot deadlock). */
async function locked<T>(keys: string[], fn: () => Promise<T>): Promise<T> {
  const releases: Array<() => void> = [];
  for (const k of [...new Set(keys)].sort()) {
    const prev = tails.get(k) ?? Promise.resolve();
    let release!: () => void;
    const tail = prev.then(() => new Promise<void>((r) => (release = r)));
    tails.set(k, tail);
    await prev;
    releases.push(() => (release(), tails.get(k) === tail && tails.delete(k)));
  }
  try {
    return await fn();
  } finally {
    for (const r of releases) r();
  }
}

const isNamed = (err: unknown, name: string): err is Output => (err as { name?: string })?.name === name;

interface Target {
  verb: string;
  table: TableInfo;
  key: Item;
  /** Put: the new item. */
  item?: Item;
}

const lockKey = (t: Target) => `${t.table.name}\u0000${canonItem(t.key)}`;

/** Whole current items of the targets, by target. */
async function current(images: ImageSource, targets: Target[]): Promise<Array<Item | undefined>> {
  const byTable = new Map<string, Promise<Map<string, Item>>>();
  for (const t of targets) if (!byTable.has(t.table.name)) byTable.set(t.table.name, images.get(t.table.name, targets.filter((x) => x.table.name === t.table.name).map((x) => x.key)));
  return Promise.all(targets.map(async (t) => (await byTable.get(t.table.name)!).get(canonItem(t.key))));
}

/** The cost lines of one item changing from `before` to `after`. */
function writeCosts(command: string, t: Target, before: Item | undefined, after: Item | undefined, tx: boolean): Cost[] {
  const item = itemLabel(t.table, after ?? before ?? t.key);
  const bytes = Math.max(itemSize(before), itemSize(after));
  const base: Cost = { command, table: t.table.name, item, kind: 'base', readUnits: 0, writeUnits: (tx ? 2 : 1) * tableWriteUnits(before, after), bytes };
  return [base, ...indexWrites(t.table, before, after).map((w): Cost => ({ ...base, index: w.index, kind: 'index', change: w.change, writeUnits: w.units, bytes: w.bytes }))];
}

async function targetsOf(images: ImageSource, requests: Array<[verb: string, body: Input]>): Promise<Target[]> {
  return Promise.all(
    requests.map(async ([verb, body]) => {
      const table = await images.describe(body.TableName);
      return { verb, table, key: body.Key ?? keyOf(table, body.Item), item: body.Item };
    }),
  );
}

/** Prices a single-item write: PutItem, UpdateItem or DeleteItem. */
async function single(op: string, input: Input, images: ImageSource, run: () => Promise<Output>): Promise<Billing> {
  const [t] = (await targetsOf(images, [[op, input]])) as [Target];
  return locked([lockKey(t)], async () => {
    const rv = input.ReturnValues;
    const pre = op === 'UpdateItem' && rv !== 'ALL_OLD' ? (await current(images, [t]))[0] : undefined;
    let out: Output;
    try {
      out = await run();
    } catch (err) {
      if (!isNamed(err, 'ConditionalCheckFailedException')) return { costs: [], itemWrites: 0 };
      // Billed on the existing item (1 unit when there is none); no index is written.
      const existing: Item | undefined = input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' ? err.Item : (await current(images, [t]))[0];
      const failed: Cost = { command: op, table: t.table.name, item: itemLabel(t.table, existing ?? t.key), kind: 'failed', readUnits: 0, writeUnits: writeUnits(itemSize(existing)), bytes: itemSize(existing) };
      return { costs: [failed], itemWrites: 0 };
    }
    const before: Item | undefined = rv === 'ALL_OLD' ? out.Attributes : pre;
    const after: Item | undefined =
      op === 'PutItem' ? input.Item : op === 'DeleteItem' ? undefined : rv === 'ALL_NEW' ? out.Attributes : (await current(images, [t]))[0];
    return { costs: writeCosts(op, t, before, after, false), itemWrites: 1 };
  });
}

/** Prices TransactWriteItems and BatchWriteItem, which return no images: read before and after. */
async function multi(op: string, targets: Target[], images: ImageSource, run: () => Promise<Output>): Promise<Billing> {
  const tx = op === 'TransactWriteItems';
  return locked(targets.map(lockKey), async () => {
    const before = await current(images, targets);
    const shape = tx ? targets.map((t, i) => `${t.verb} ${itemLabel(t.table, t.item ?? before[i] ?? t.key)}`).join(' + ') : undefined;
    let out: Output;
    try {
      out = await run();
    } catch (err) {
      if (!isNamed(err, 'TransactionCanceledException')) return { costs: [], itemWrites: 0 };
      // Not reported by the API; priced as the prepare phase: one standard write per item, on its current image.
      const costs = targets.map((t, i): Cost => ({ command: `${op}.${t.verb}`, table: t.table.name, item: itemLabel(t.table, before[i] ?? t.key), kind: 'cancelled', readUnits: 0, writeUnits: writeUnits(itemSize(before[i])), bytes: itemSize(before[i]) }));
      const reasons = [...new Set(((err.CancellationReasons ?? []) as Output[]).map((r) => r.Code).filter((c) => c && c !== 'None'))];
      return { costs, itemWrites: 0, transaction: `cancelled (${reasons.join(', ') || 'no reason'}): ${shape}` };
    }
    // BatchWriteItem may leave requests unprocessed: those cost nothing (the caller retries them).
    const tableOf = (name: string) => targets.find((t) => t.table.name === name)!.table;
    const unprocessed = new Set(
      Object.entries((out.UnprocessedItems ?? {}) as Record<string, Input[]>).flatMap(([name, reqs]) =>
        reqs.map((r) => `${name}\u0000${canonItem(r.DeleteRequest?.Key ?? keyOf(tableOf(name), r.PutRequest.Item))}`),
      ),
    );
    const done = targets.map((t) => !unprocessed.has(lockKey(t)));
    const updated = targets.filter((t) => t.verb === 'Update');
    const afterUpdates = updated.length ? await current(images, updated) : [];
    const costs = targets.flatMap((t, i) => {
      if (!done[i]) return [];
      const command = `${op}.${t.verb}`;
      if (t.verb === 'ConditionCheck') {
        return [{ command, table: t.table.name, item: itemLabel(t.table, before[i] ?? t.key), kind: 'base', readUnits: 0, writeUnits: 2 * writeUnits(itemSize(before[i])), bytes: itemSize(before[i]) } satisfies Cost];
      }
      const after = t.verb === 'Update' ? afterUpdates[updated.indexOf(t)] : t.item;
      return writeCosts(command, t, before[i], after, tx);
    });
    const itemWrites = targets.filter((t, i) => done[i] && t.verb !== 'ConditionCheck').length;
    return { costs, itemWrites, transaction: shape };
  });
}

export const PRICED = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems', 'BatchWriteItem', 'GetItem', 'BatchGetItem', 'TransactGetItems', 'Query', 'Scan']);

/**
 * Runs and prices one call (`op` in PRICED; `input` marshalled, as sent; `run` resolves to the
 * marshalled output). A failing call is priced too (AWS bills failed conditions) and its error
 * left to the caller of `run`; `bill` itself rejects only when it cannot price (or, for reads, when
 * the call failed: failed reads are not billed).
 */
export async function bill(op: string, input: Input, images: ImageSource, run: () => Promise<Output>): Promise<Billing> {
  if (op === 'PutItem' || op === 'UpdateItem' || op === 'DeleteItem') return single(op, input, images, run);
  if (op === 'TransactWriteItems') {
    const requests = (input.TransactItems as Input[]).map((ti) => Object.entries(ti).find(([, v]) => v)! as [string, Input]);
    return multi(op, await targetsOf(images, requests), images, run);
  }
  if (op === 'BatchWriteItem') {
    const requests = Object.entries(input.RequestItems as Record<string, Input[]>).flatMap(([TableName, reqs]) =>
      reqs.map((r): [string, Input] => (r.PutRequest ? ['Put', { TableName, Item: r.PutRequest.Item }] : ['Delete', { TableName, Key: r.DeleteRequest.Key }])),
    );
    return multi(op, await targetsOf(images, requests), images, run);
  }
  return read(op, input, images, await run());
}
