import { describe, expect, it } from 'vitest';
import {
  cleanOrderLines,
  formatDay,
  groupByCustomer,
  isProductCode,
  OrderLineError,
  parseDay,
  parseOrderLines,
} from '../../../../shared/analytics/customers/order-lines';
import { parseCsv } from '../../../../shared/lib/csv';

const CSV = `InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850,United Kingdom
C536379,D,Discount,-1,2010-12-01 09:41:00,27.5,14527.0,United Kingdom
536370,POST,POSTAGE,3,2010-12-01 08:45:00,18,12583,France
536414,22139,FREE SAMPLE,56,2010-12-01 11:52:00,0,12583,France
536415,22140,NO CUSTOMER,1,2010-12-01 11:52:00,1,,France
`;

describe('order lines', () => {
  it('parses the online-retail columns into typed lines', () => {
    const lines = parseOrderLines(parseCsv(CSV));
    expect(lines[0]).toMatchObject({ invoiceNo: '536365', cancelled: false, quantity: 6, unitPrice: 2.55, customerId: '17850', isProduct: true, day: parseDay('2010-12-01') });
    expect(lines[0]!.amount).toBeCloseTo(15.3, 10);
    // Cancellation: negative amount; the trailing ".0" of some CustomerIDs is dropped.
    expect(lines[1]).toMatchObject({ cancelled: true, customerId: '14527', isProduct: false, amount: -27.5 });
    expect(lines[2]).toMatchObject({ stockCode: 'POST', isProduct: false, amount: 54 });
  });

  it('drops lines without a customer or with a zero price, and counts why', () => {
    const { lines, report } = cleanOrderLines(parseOrderLines(parseCsv(CSV)));
    expect(lines.map((l) => l.invoiceNo)).toEqual(['536365', 'C536379', '536370']);
    expect(report).toEqual({ kept: 3, noCustomer: 1, zeroOrNegativePrice: 1, zeroQuantity: 0 });
  });

  it('says which row has a bad value', () => {
    const bad = CSV.replace('2010-12-01 08:45:00', '2010-13-01 08:45:00');
    expect(() => parseOrderLines(parseCsv(bad))).toThrow(OrderLineError);
    expect(() => parseOrderLines(parseCsv(bad))).toThrow('data row 3: InvoiceDate "2010-13-01 08:45:00" is not a date');
    expect(() => parseOrderLines(parseCsv(CSV.replace(',6,', ',six,')))).toThrow('data row 1: Quantity "six" is not a number');
  });

  it('tells products from service codes', () => {
    expect(['85123A', '22139', '10002'].map(isProductCode)).toEqual([true, true, true]);
    expect(['POST', 'M', 'D', 'DOT', 'BANK CHARGES', 'CRUK', 'AMAZONFEE', 'gift_0001_20'].map(isProductCode)).toEqual(Array(8).fill(false));
  });

  it('reads calendar days strictly', () => {
    expect(parseDay('1970-01-02')).toBe(1);
    expect(parseDay('2011-03-01 10:00:00')! - parseDay('2011-02-28')!).toBe(1);
    expect(parseDay('2011-02-29')).toBeUndefined();
    expect(parseDay('01/03/2011')).toBeUndefined();
    expect(formatDay(parseDay('2011-09-30')!)).toBe('2011-09-30');
  });

  it('groups by customer in day order', () => {
    const lines = parseOrderLines(parseCsv(CSV)).reverse();
    const groups = groupByCustomer(lines);
    expect([...groups.keys()].sort()).toEqual(['', '12583', '14527', '17850']);
    expect(groups.get('12583')!.map((l) => l.stockCode)).toEqual(['22139', 'POST']);
  });
});
