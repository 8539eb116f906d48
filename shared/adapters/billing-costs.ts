import type { TableInfo } from './aws-billing';
import type { Item } from './item-size';

/** One priced arm of a call: what the capacity meter sums and breaks down. */
export interface Cost {
  /** 'PutItem', 'TransactWriteItems.Update', ... */
  command: string;
  table: string;
  index?: string;
  /** Item type: the partition key up to its first '#'. */
  item: string;
  /** base: the table's own arm; failed: a conditional write whose condition failed; cancelled: a cancelled transaction's items. */
  kind: 'base' | 'index' | 'failed' | 'cancelled';
  /** An index write: a new entry, a removed one, or one updated in place (a moved key is a delete and a put). */
  change?: 'put' | 'delete' | 'update';
  readUnits: number;
  writeUnits: number;
  /** The size billed: the larger image, the index entry, the existing item, the read item or page. */
  bytes: number;
}

export interface Billing {
  costs: Cost[];
  /** Items written (Put/Update/Delete requests that succeeded). */
  itemWrites: number;
  /** A transaction's shape ('Update TICKET + Put MSG'), to sum cost by shape. */
  transaction?: string;
}

/** An item type from a key value: the part before its first '#', or a constant key ('TOTALS'); '*' otherwise. */
export const keyPrefix = (s: string): string => (s.includes('#') || /^[A-Z_]{1,24}$/.test(s) ? s.split('#')[0]! : '*');

export function itemLabel(table: TableInfo, item: Item | undefined): string {
  const v = item?.[table.keys[0]!];
  if (!v) return '-';
  return v.S === undefined ? Object.keys(v)[0]! : keyPrefix(v.S);
}
