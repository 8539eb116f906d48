import type { Order } from '../analytics/customers/order-store';
import type { CustomerModelRecord, CustomerModelSummary } from '../customers/customer-model-store';

/**
 * Item layout of orders (crm table) and customer-model results (reporting table):
 * - order: `ORDER#<invoiceNo>` / `ORDER`, gsi1 `ORDERS#<YYYY-MM>` / `<invoice date>#<invoiceNo>`
 *   (one Query per invoice month; never a Scan);
 * - run summary: `MODEL#customers` / `<run day>` and `LATEST`;
 * - per customer: `CUSTOMER#<customerId>` / `MODEL` (the latest run that saw the customer).
 */
export const orderKeys = {
  order: (invoiceNo: string) => ({ pk: `ORDER#${invoiceNo}`, sk: 'ORDER' }),
  month: (month: string) => `ORDERS#${month}`,
  monthSort: (invoiceDate: string, invoiceNo: string) => `${invoiceDate}#${invoiceNo}`,
} as const;

export const customerModelKeys = {
  summaryPk: 'MODEL#customers',
  latest: 'LATEST',
  customer: (customerId: string) => ({ pk: `CUSTOMER#${customerId}`, sk: 'MODEL' }),
} as const;

/** The crm item of an order. */
export function orderItem(order: Order): Record<string, unknown> {
  return {
    ...orderKeys.order(order.invoiceNo),
    type: 'order',
    ...order,
    gsi1pk: orderKeys.month(order.invoiceDate.slice(0, 7)),
    gsi1sk: orderKeys.monthSort(order.invoiceDate, order.invoiceNo),
  };
}

/** An order from its crm item. */
export function toOrder(item: Record<string, unknown>): Order {
  const { pk, sk, type, gsi1pk, gsi1sk, ...order } = item;
  return order as unknown as Order;
}

/**
 * A copy with every non-finite number (NaN, ±Infinity: DynamoDB rejects them) replaced by null,
 * and numbers rounded to 8 significant digits (the items stay small and stable across re-runs).
 */
export function finiteValues<T>(value: T): T {
  if (typeof value === 'number') return (Number.isFinite(value) ? Number(value.toPrecision(8)) : null) as T;
  if (Array.isArray(value)) return value.map(finiteValues) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, finiteValues(v)])) as T;
  }
  return value;
}

/** The reporting items of a run summary: the run day's and the LATEST pointer. */
export function summaryItems(summary: CustomerModelSummary): Array<Record<string, unknown>> {
  const body = finiteValues(summary);
  return [summary.runDay, customerModelKeys.latest].map((sk) => ({ pk: customerModelKeys.summaryPk, sk, type: 'customer-models', ...body }));
}

export function customerItem(record: CustomerModelRecord): Record<string, unknown> {
  return { ...customerModelKeys.customer(record.customerId), type: 'customer-model', ...finiteValues(record) };
}

/** Strips the keys off a reporting item. */
export function withoutKeys<T>(item: Record<string, unknown>): T {
  const { pk, sk, type, ...rest } = item;
  return rest as T;
}
