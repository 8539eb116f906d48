import * as z from 'zod';
import { cleanOrderLines, ORDER_LINE_COLUMNS, OrderLineError, parseOrderLines, type OrderLine } from '../../shared/analytics/customers/order-lines';
import { UnsupportedMediaTypeError, ValidationError, type FieldIssue } from '../../shared/domain/errors';
import { CsvInputError, parseCsv, requireColumns } from '../../shared/lib/csv';
import { OrderGroupingError, ordersFromLines } from '../../shared/analytics/customers/order-store';
import { bodyText, httpRoutes, json, parseJsonBody, type HttpEvent } from '../lib/http';
import { orderItemBytes, orderStore } from '../lib/services';

const store = orderStore();

/** Per request; bigger exports go in several requests, each holding whole invoices. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
/** Problems listed in a 400 answer; the count says how many there were in all. */
const MAX_ISSUES = 50;
const MAX_FIELD_CHARS = 500;
/** DynamoDB items are at most 400 KB; an invoice stays well below it. */
const MAX_ORDER_BYTES = 350_000;

const cell = z.union([z.string(), z.number(), z.null()]);
const jsonImport = z.strictObject({
  lines: z.array(z.record(z.string(), cell)).min(1, 'send at least one line').max(100_000),
});

/** The records of the body, CSV or JSON, keyed by the online-retail column names. */
function records(event: HttpEvent): { rows: Array<Record<string, string>>; label: (i: number) => string } {
  const type = (event.headers?.['content-type'] ?? '').toLowerCase();
  if (/^text\/csv\b/.test(type)) {
    const text = bodyText(event, MAX_IMPORT_BYTES);
    let rows: Array<Record<string, string>>;
    try {
      rows = parseCsv(text, 'the CSV body');
      requireColumns(rows, ORDER_LINE_COLUMNS, 'the CSV body');
    } catch (err) {
      if (err instanceof CsvInputError) throw new ValidationError(err.message);
      throw err;
    }
    if (rows.length === 0) throw new ValidationError(`The CSV body has no data rows; its header must be ${ORDER_LINE_COLUMNS.join(',')}.`);
    // Row 1 is the first data row (the header is not counted).
    return { rows, label: (i) => `row ${i + 1}` };
  }
  if (/^application\/(.+\+)?json\b/.test(type)) {
    const { lines } = parseJsonBody(event, jsonImport, MAX_IMPORT_BYTES);
    const rows = lines.map((l) => Object.fromEntries(Object.entries(l).map(([k, v]) => [k, v === null ? '' : String(v)])));
    return { rows, label: (i) => `lines.${i}` };
  }
  throw new UnsupportedMediaTypeError('Send order lines as `text/csv` (online-retail columns) or `application/json` `{ "lines": [...] }`.');
}

/** Every problem of every row, so one answer lists what to fix. */
function validate(rows: ReadonlyArray<Record<string, string>>, label: (i: number) => string): { lines: OrderLine[]; issues: FieldIssue[] } {
  const lines: OrderLine[] = [];
  const issues: FieldIssue[] = [];
  rows.forEach((r, i) => {
    const problems: string[] = [];
    const missing = ORDER_LINE_COLUMNS.filter((c) => r[c] === undefined);
    if (missing.length) problems.push(`missing ${missing.join(', ')}`);
    const invoiceNo = (r.InvoiceNo ?? '').trim();
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(invoiceNo)) problems.push(`InvoiceNo "${invoiceNo}" must be 1-64 letters, digits, - or _`);
    if ((r.StockCode ?? '').trim() === '') problems.push('StockCode is empty');
    for (const c of ORDER_LINE_COLUMNS) if ((r[c] ?? '').length > MAX_FIELD_CHARS) problems.push(`${c} is longer than ${MAX_FIELD_CHARS} characters`);
    try {
      const [line] = parseOrderLines([r]);
      if (!problems.length && line) lines.push(line);
    } catch (err) {
      if (!(err instanceof OrderLineError)) throw err;
      problems.push(err.message.replace(/^data row \d+: /, ''));
    }
    if (problems.length) issues.push({ path: label(i), message: problems.join('; ') });
  });
  return { lines, issues };
}

/** Order import for ERP and shop systems (spec §6): whole invoices, upserted by invoice number. */
export const handler = httpRoutes({
  'POST /v1/orders/import': async (event) => {
    const { rows, label } = records(event);
    const { lines, issues } = validate(rows, label);
    if (issues.length) {
      throw new ValidationError(`${issues.length} of ${rows.length} lines are not valid; nothing was imported.`, issues.slice(0, MAX_ISSUES));
    }
    const { lines: kept, report } = cleanOrderLines(lines);
    let orders;
    try {
      orders = ordersFromLines(kept);
    } catch (err) {
      if (err instanceof OrderGroupingError) throw new ValidationError(`${err.message}; nothing was imported.`);
      throw err;
    }
    const big = orders.find((o) => orderItemBytes(o) > MAX_ORDER_BYTES);
    if (big) throw new ValidationError(`Invoice ${big.invoiceNo} has ${big.lines.length} lines, too many for one item; nothing was imported.`);
    const written = await store.putOrders(orders);
    const months = [...new Set(orders.map((o) => o.invoiceDate.slice(0, 7)))].sort();
    return json(200, {
      imported: { ...written, lines: kept.length },
      dropped: { noCustomer: report.noCustomer, zeroOrNegativePrice: report.zeroOrNegativePrice, zeroQuantity: report.zeroQuantity },
      months,
    });
  },
});
