import { canonItem, keyOf, readUnits, type TableInfo } from './aws-billing';
import { keyPrefix, itemLabel, type Billing, type Cost } from './billing-costs';
import type { ImageSource } from './billing-images';
import { itemSize, type Item } from './item-size';

type Input = Record<string, any>;
type Output = Record<string, any>;

/** A projection does not lower the bill: the whole item is read and billed. */
const PROJECTED = (i: Input) => Boolean(i.ProjectionExpression || i.AttributesToGet);

/** The item type a Query asks for: its partition key value's prefix. */
function keyConditionLabel(input: Input): string {
  const m = /(\S+)\s*=\s*(:\w+)/.exec(String(input.KeyConditionExpression ?? ''));
  const s = m ? input.ExpressionAttributeValues?.[m[2]!]?.S : undefined;
  return typeof s === 'string' ? keyPrefix(s) : '*';
}

/** Prices a read from its marshalled output; projections and filters are priced on whole items. */
export async function read(op: string, input: Input, images: ImageSource, out: Output): Promise<Billing> {
  const costs: Cost[] = [];
  const one = (table: TableInfo, key: Item, item: Item | undefined, units: number, command = op): void => {
    costs.push({ command, table: table.name, item: itemLabel(table, item ?? key), kind: 'base', readUnits: units, writeUnits: 0, bytes: itemSize(item) });
  };
  if (op === 'GetItem') {
    const t = await images.describe(input.TableName);
    const item = PROJECTED(input) ? (await images.get(t.name, [input.Key])).get(canonItem(input.Key)) : out.Item;
    one(t, input.Key, item, readUnits(itemSize(item), Boolean(input.ConsistentRead)));
  } else if (op === 'BatchGetItem') {
    for (const [name, req] of Object.entries(input.RequestItems as Record<string, Input>)) {
      const t = await images.describe(name);
      const skipped = new Set(((out.UnprocessedKeys?.[name]?.Keys ?? []) as Item[]).map(canonItem));
      const keys = (req.Keys as Item[]).filter((k) => !skipped.has(canonItem(k)));
      const found = PROJECTED(req)
        ? await images.get(name, keys)
        : new Map(((out.Responses?.[name] ?? []) as Item[]).map((i) => [canonItem(keyOf(t, i)), i]));
      for (const k of keys) one(t, k, found.get(canonItem(k)), readUnits(itemSize(found.get(canonItem(k))), Boolean(req.ConsistentRead)));
    }
  } else if (op === 'TransactGetItems') {
    const gets = (input.TransactItems as Input[]).map((g) => g.Get as Input);
    for (const [i, g] of gets.entries()) {
      const t = await images.describe(g.TableName);
      const item = PROJECTED(g) ? (await images.get(t.name, [g.Key])).get(canonItem(g.Key)) : out.Responses?.[i]?.Item;
      one(t, g.Key, item, 2 * readUnits(itemSize(item), true), 'TransactGetItems.Get');
    }
  } else {
    // Query/Scan: the items the page evaluated, before any filter; index entries for an index.
    const t = await images.describe(input.TableName);
    const narrowed = PROJECTED(input) || input.FilterExpression || input.QueryFilter || input.ScanFilter || ['COUNT', 'SPECIFIC_ATTRIBUTES'].includes(input.Select);
    const items = narrowed ? await images.page(op as 'Query' | 'Scan', input) : ((out.Items ?? []) as Item[]);
    const bytes = items.reduce((a, i) => a + itemSize(i), 0);
    costs.push({
      command: op,
      table: t.name,
      index: input.IndexName,
      item: op === 'Query' ? keyConditionLabel(input) : '*',
      kind: input.IndexName ? 'index' : 'base',
      readUnits: readUnits(bytes, Boolean(input.ConsistentRead)),
      writeUnits: 0,
      bytes,
    });
  }
  return { costs, itemWrites: 0 };
}
