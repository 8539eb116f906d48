import { isProductCode, parseDay, type OrderLine } from '../../../../shared/analytics/customers/order-lines';

/** One order line for tests: quantity × price on a YYYY-MM-DD day. */
export function line(customerId: string, date: string, quantity: number, unitPrice: number, extra: Partial<OrderLine> = {}): OrderLine {
  const invoiceNo = extra.invoiceNo ?? (quantity < 0 ? `C${customerId}${date}` : `${customerId}${date}`);
  const stockCode = extra.stockCode ?? '10001';
  return {
    invoiceNo,
    cancelled: invoiceNo.startsWith('C'),
    stockCode,
    description: '',
    quantity,
    invoiceDate: `${date} 10:00:00`,
    day: parseDay(date)!,
    unitPrice,
    customerId,
    country: 'United Kingdom',
    isProduct: isProductCode(stockCode),
    amount: quantity * unitPrice,
    ...extra,
  };
}

/** CSV text of order lines in the online-retail layout. */
export function toCsv(lines: readonly OrderLine[]): string {
  const header = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country';
  return [header, ...lines.map((l) => [l.invoiceNo, l.stockCode, 'ITEM', l.quantity, l.invoiceDate, l.unitPrice, l.customerId, l.country].join(','))].join('\n') + '\n';
}
