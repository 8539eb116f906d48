import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { itemSize, type Item } from './item-size';

/**
 * DynamoDB's billing rules as AWS applies them, as pure functions of item images; the
 * capacity meter feeds them the images before and after each call. Sources:
 * - sizes, rounding, reads, failed conditional writes: "DynamoDB item sizes and formats" and
 *   "DynamoDB read and write operations" (developer guide; awsdocs CapacityUnitCalculations.md);
 * - index write ladder (new entry, removed entry, key moved = delete + put, projected attribute
 *   changed = one write, nothing projected changed = nothing): GSI.md "Write Capacity Units",
 *   measured per index on AWS in nubo-db/dynamodb-conformance putItem/indexConsumedCapacity.test.ts
 *   (LSIs follow the same ladder); an in-place entry update is sized on the larger entry and a key
 *   move rounds each half on its own (paritysuite/dynamodb-conformance#149);
 * - transactions: 2 units per item, each rounded on its own (transaction-apis.md "Capacity
 *   management"); the index writes a transaction causes bill at the standard rate, the 2× is on
 *   the table arm alone (nubo-db/dynoxide#188, checked against AWS); a ConditionCheck bills
 *   2 write units per KB of the item it reads (paritysuite/dynamodb-conformance#67, dynoxide#188).
 */
export type Projection = 'ALL' | 'KEYS_ONLY' | readonly string[];

export interface IndexInfo {
  name: string;
  /** Partition key, then sort key if any. */
  keys: readonly string[];
  projection: Projection;
}

export interface TableInfo {
  name: string;
  keys: readonly string[];
  /** GSIs and LSIs alike: both bill writes by the same ladder. */
  indexes: readonly IndexInfo[];
}

export const KB = 1024;

/** Write units of one item: rounded up to 1 KB, at least 1. */
export const writeUnits = (bytes: number): number => Math.max(1, Math.ceil(bytes / KB));

/** Read units of one read (an item, or a Query/Scan page): 4 KB steps, at least one step. */
export const readUnits = (bytes: number, consistent: boolean): number => Math.max(1, Math.ceil(bytes / (4 * KB))) * (consistent ? 1 : 0.5);

/** A number as digits × 10^exponent, so "1.50" and "15e-1" compare equal (DynamoDB normalises numbers). */
function normNumber(n: string): string {
  const m = /^([+-]?)(\d*)\.?(\d*)(?:e([+-]?\d+))?$/i.exec(n.trim());
  if (!m) return n;
  let digits = `${m[2]}${m[3]}`.replace(/^0+/, '');
  let exp = Number(m[4] ?? 0) - m[3]!.length;
  while (digits.endsWith('0')) [digits, exp] = [digits.slice(0, -1), exp + 1];
  return digits ? `${m[1] === '-' ? '-' : ''}${digits}e${exp}` : '0';
}

const b64 = (b: Uint8Array | string): string => (typeof b === 'string' ? b : Buffer.from(b).toString('base64'));

/** Canonical text of a value (sets unordered, numbers normalised), for comparing images. */
export function canon(v: AttributeValue | undefined): string {
  if (v === undefined) return '';
  if (v.N !== undefined) return `N${normNumber(v.N)}`;
  if (v.SS) return `SS${JSON.stringify([...v.SS].sort())}`;
  if (v.NS) return `NS${JSON.stringify(v.NS.map(normNumber).sort())}`;
  if (v.BS) return `BS${JSON.stringify(v.BS.map(b64).sort())}`;
  if (v.B !== undefined) return `B${b64(v.B)}`;
  if (v.L) return `L[${v.L.map(canon).join(',')}]`;
  if (v.M) return `M${canonItem(v.M)}`;
  return JSON.stringify(v);
}

export const canonItem = (item: Item | undefined): string =>
  item ? `{${Object.keys(item).sort().map((k) => `${JSON.stringify(k)}:${canon(item[k])}`).join(',')}}` : '';

const pick = (item: Item, names: Iterable<string>): Item =>
  Object.fromEntries([...names].filter((n) => item[n] !== undefined).map((n) => [n, item[n]!]));

/** The entry an item has in an index (undefined: the item lacks an index key, so it is not in the index). */
export function indexEntry(table: TableInfo, index: IndexInfo, item: Item | undefined): Item | undefined {
  if (!item || index.keys.some((k) => item[k] === undefined)) return undefined;
  if (index.projection === 'ALL') return item;
  const extra = index.projection === 'KEYS_ONLY' ? [] : index.projection;
  return pick(item, new Set([...table.keys, ...index.keys, ...extra]));
}

export interface IndexWrite {
  index: string;
  change: 'put' | 'delete' | 'update';
  units: number;
  /** The entry size billed. */
  bytes: number;
}

/** What a change of an item from `before` to `after` writes to the table's indexes (standard rate). */
export function indexWrites(table: TableInfo, before: Item | undefined, after: Item | undefined): IndexWrite[] {
  const out: IndexWrite[] = [];
  for (const index of table.indexes) {
    const b = indexEntry(table, index, before);
    const a = indexEntry(table, index, after);
    const moved = b && a && index.keys.some((k) => canon(b[k]) !== canon(a[k]));
    const write = (change: IndexWrite['change'], bytes: number) => out.push({ index: index.name, change, units: writeUnits(bytes), bytes });
    if (b && (!a || moved)) write('delete', itemSize(b));
    if (a && (!b || moved)) write('put', itemSize(a));
    if (b && a && !moved && canonItem(b) !== canonItem(a)) write('update', Math.max(itemSize(b), itemSize(a)));
  }
  return out;
}

/** Table arm of a Put/Update/Delete: the larger of the before and after images (a delete's after is nothing). */
export const tableWriteUnits = (before: Item | undefined, after: Item | undefined): number =>
  writeUnits(Math.max(itemSize(before), itemSize(after)));

/** The key of an item in a table, as its own item. */
export const keyOf = (table: TableInfo, item: Item): Item => pick(item, table.keys);
