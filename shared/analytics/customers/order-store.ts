import type { OrderLine } from './order-lines';
import { isProductCode, parseDay } from './order-lines';

/**
 * Orders imported from an ERP or shop system (spec §6), one per invoice. Customer ids are the
 * shop's own ids: linking them to Switchboard customers is not done here.
 */

/** One line of an order as stored: what the shop sent, typed. */
export interface StoredOrderLine {
  stockCode: string;
  description: string;
  quantity: number;
  unitPrice: number;
  /** The line's own InvoiceDate, only when it differs from the order's (a few invoices span minutes). */
  at?: string;
}

/** One invoice (an order, or a cancellation when the number starts with "C"). */
export interface Order {
  invoiceNo: string;
  /** The shop's customer id, as given. */
  customerId: string;
  country: string;
  /** Earliest InvoiceDate of its lines, `YYYY-MM-DD HH:MM[:SS]` as the shop sent it. */
  invoiceDate: string;
  lines: StoredOrderLine[];
}

/** What an import wrote. `created` + `replaced` = `orders` (re-importing an invoice replaces it). */
export interface OrderWriteResult {
  orders: number;
  created: number;
  replaced: number;
}

/** The orders in the crm table. */
export interface OrderStore {
  /** Upserts whole invoices (same invoice number → same item, so importing twice changes nothing). */
  putOrders(orders: readonly Order[]): Promise<OrderWriteResult>;
  /** Every order whose invoice date falls in the month `YYYY-MM`, by date. */
  listOrdersOfMonth(month: string): Promise<Order[]>;
}

/** Thrown when order lines cannot form invoices (one invoice, two customers). */
export class OrderGroupingError extends Error {}

/**
 * Groups cleaned order lines into one Order per invoice number (first appearance order).
 * An invoice must belong to one customer; its date is the earliest line's.
 */
export function ordersFromLines(lines: readonly OrderLine[]): Order[] {
  const byInvoice = new Map<string, { order: Order; dates: string[] }>();
  for (const l of lines) {
    let entry = byInvoice.get(l.invoiceNo);
    if (!entry) {
      entry = { order: { invoiceNo: l.invoiceNo, customerId: l.customerId, country: l.country, invoiceDate: l.invoiceDate, lines: [] }, dates: [] };
      byInvoice.set(l.invoiceNo, entry);
    } else if (entry.order.customerId !== l.customerId) {
      throw new OrderGroupingError(`invoice ${l.invoiceNo} has lines of customers ${entry.order.customerId} and ${l.customerId}`);
    }
    if (l.invoiceDate < entry.order.invoiceDate) entry.order.invoiceDate = l.invoiceDate;
    entry.order.lines.push({ stockCode: l.stockCode, description: l.description, quantity: l.quantity, unitPrice: l.unitPrice });
    entry.dates.push(l.invoiceDate);
  }
  return [...byInvoice.values()].map(({ order, dates }) => {
    order.lines.forEach((line, i) => {
      if (dates[i] !== order.invoiceDate) line.at = dates[i]!;
    });
    return order;
  });
}

/** The order lines of stored orders, as the customer models read them (inverse of ordersFromLines). */
export function linesOfOrders(orders: readonly Order[]): OrderLine[] {
  const out: OrderLine[] = [];
  for (const o of orders) {
    for (const l of o.lines) {
      const invoiceDate = l.at ?? o.invoiceDate;
      const day = parseDay(invoiceDate);
      if (day === undefined) continue; // validated at import; a hand-edited item is skipped, not fatal
      out.push({
        invoiceNo: o.invoiceNo,
        cancelled: o.invoiceNo.startsWith('C'),
        stockCode: l.stockCode,
        description: l.description,
        quantity: l.quantity,
        invoiceDate,
        day,
        unitPrice: l.unitPrice,
        customerId: o.customerId,
        country: o.country,
        isProduct: isProductCode(l.stockCode),
        amount: l.quantity * l.unitPrice,
      });
    }
  }
  return out;
}
