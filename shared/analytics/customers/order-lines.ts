/**
 * Order lines of the online-retail kind (UCI "Online Retail" columns) and the cleaner every
 * customer model starts from. Pure: takes parsed CSV records, returns typed lines.
 */

import { parseDay as parseCalendarDay } from '../../lib/days';

/** The CSV columns an order-line file must have. */
export const ORDER_LINE_COLUMNS = [
  'InvoiceNo',
  'StockCode',
  'Description',
  'Quantity',
  'InvoiceDate',
  'UnitPrice',
  'CustomerID',
  'Country',
] as const;

/** One invoice line. `day` is the UTC calendar day of the invoice, as whole days since 1970-01-01. */
export interface OrderLine {
  invoiceNo: string;
  /** InvoiceNo starts with "C": the line reverses (part of) an earlier order; quantity is negative. */
  cancelled: boolean;
  stockCode: string;
  description: string;
  quantity: number;
  invoiceDate: string;
  day: number;
  unitPrice: number;
  customerId: string;
  country: string;
  /** False for postage, manual adjustments, discounts, fees: they count as spend, never as products. */
  isProduct: boolean;
  /** quantity × unitPrice, GBP; negative on cancellations. */
  amount: number;
}

/** Thrown for a record that cannot be read (bad number or date), naming its 1-based data row. */
export class OrderLineError extends Error {}

/**
 * Stock codes that are not products (upstream: postage, manual, discount, carriage, charity,
 * bank charges, Amazon fee, samples, gift vouchers, bad-debt adjustment). Product codes start
 * with five digits; everything else seen in the data is one of these.
 */
const NON_PRODUCT_CODES = new Set(['POST', 'DOT', 'M', 'D', 'C2', 'CRUK', 'BANK CHARGES', 'AMAZONFEE', 'S', 'PADS', 'B', 'm']);

/** True when a stock code names a real product (five leading digits, not one of the service codes). */
export function isProductCode(stockCode: string): boolean {
  if (NON_PRODUCT_CODES.has(stockCode)) return false;
  if (stockCode.startsWith('gift_')) return false;
  return /^\d{5}/.test(stockCode);
}

/** Whole UTC days since the epoch for `YYYY-MM-DD` (optionally followed by a time), or undefined if it is not a real date. */
export function parseDay(text: string): number | undefined {
  // Invoice dates carry a time of day and stray spaces; the day is all the models use.
  return parseCalendarDay(text, { trim: true, allowTime: true });
}

export { formatDay } from '../../lib/days';

/** Turns CSV records (header names as in ORDER_LINE_COLUMNS) into typed lines; throws OrderLineError on unreadable values. */
export function parseOrderLines(records: ReadonlyArray<Record<string, string>>): OrderLine[] {
  return records.map((r, i) => {
    const row = i + 1;
    const quantity = Number(r.Quantity);
    const unitPrice = Number(r.UnitPrice);
    const invoiceDate = (r.InvoiceDate ?? '').trim();
    const day = parseDay(invoiceDate);
    if (!Number.isFinite(quantity) || (r.Quantity ?? '').trim() === '') throw new OrderLineError(`data row ${row}: Quantity "${r.Quantity}" is not a number`);
    if (!Number.isFinite(unitPrice) || (r.UnitPrice ?? '').trim() === '') throw new OrderLineError(`data row ${row}: UnitPrice "${r.UnitPrice}" is not a number`);
    if (day === undefined) throw new OrderLineError(`data row ${row}: InvoiceDate "${invoiceDate}" is not a date (YYYY-MM-DD HH:MM:SS)`);
    const invoiceNo = (r.InvoiceNo ?? '').trim();
    const stockCode = (r.StockCode ?? '').trim();
    return {
      invoiceNo,
      cancelled: invoiceNo.startsWith('C'),
      stockCode,
      description: (r.Description ?? '').trim(),
      quantity,
      invoiceDate,
      day,
      unitPrice,
      customerId: (r.CustomerID ?? '').trim().replace(/\.0$/, ''),
      country: (r.Country ?? '').trim(),
      isProduct: isProductCode(stockCode),
      amount: quantity * unitPrice,
    };
  });
}

/** What the cleaner dropped, by reason. */
export interface CleaningReport {
  kept: number;
  noCustomer: number;
  zeroOrNegativePrice: number;
  zeroQuantity: number;
}

/**
 * The cleaning rules (docs/customer-models.md §1):
 * - no CustomerID: dropped (nothing to attribute it to);
 * - UnitPrice ≤ 0: dropped (free samples and bad-debt write-offs are neither spend nor purchases);
 * - Quantity 0: dropped;
 * - cancellations are kept as negative amounts on their own date, so any window's spend is net of
 *   the cancellations made in it; this never looks ahead (a later cancellation does not rewrite an
 *   earlier window), which matters for as-of features;
 * - non-product codes are kept for spend but flagged `isProduct: false` for product features.
 * Huge order/cancel pairs net out inside a window; across windows, the models' weighted least
 * squares keeps them from setting the fit (demand.ts), and net-negative windows count as 0 spend.
 */
export function cleanOrderLines(lines: readonly OrderLine[]): { lines: OrderLine[]; report: CleaningReport } {
  const report: CleaningReport = { kept: 0, noCustomer: 0, zeroOrNegativePrice: 0, zeroQuantity: 0 };
  const kept: OrderLine[] = [];
  for (const line of lines) {
    if (line.customerId === '') report.noCustomer += 1;
    else if (!(line.unitPrice > 0)) report.zeroOrNegativePrice += 1;
    else if (line.quantity === 0) report.zeroQuantity += 1;
    else kept.push(line);
  }
  report.kept = kept.length;
  return { lines: kept, report };
}

/** Lines grouped by customer, each group sorted by day (stable). */
export function groupByCustomer(lines: readonly OrderLine[]): Map<string, OrderLine[]> {
  const groups = new Map<string, OrderLine[]>();
  for (const line of lines) {
    let group = groups.get(line.customerId);
    if (!group) groups.set(line.customerId, (group = []));
    group.push(line);
  }
  for (const group of groups.values()) group.sort((a, b) => a.day - b.day);
  return groups;
}
