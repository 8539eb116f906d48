import { describe, expect, it } from 'vitest';
import { CsvInputError, csvLine, parseCsv, requireColumns } from '../../../shared/lib/csv';

describe('csv', () => {
  it('parses quoted fields with commas, quotes and newlines', () => {
    const rows = parseCsv('\uFEFFtext,label\n"a, ""b""\nc",x\nplain,y\n');
    expect(rows).toEqual([
      { text: 'a, "b"\nc', label: 'x' },
      { text: 'plain', label: 'y' },
    ]);
  });

  it('writes a line that parses back to the same values', () => {
    const line = csvLine(['a,b', 'say "hi"', 3, undefined, 'two\nlines']);
    expect(line).toBe('"a,b","say ""hi""",3,,"two\nlines"');
    expect(parseCsv(`a,b,c,d,e\n${line}\n`)[0]).toEqual({ a: 'a,b', b: 'say "hi"', c: '3', d: '', e: 'two\nlines' });
  });

  it('names a missing column and lists the ones there', () => {
    const rows = parseCsv('date,count\n2024-01-01,3\n');
    expect(() => requireColumns(rows, ['date', 'value'], 'series.csv')).toThrow(CsvInputError);
    expect(() => requireColumns(rows, ['date', 'value'], 'series.csv')).toThrow('series.csv has no column "value"; its columns are: date, count');
  });
});

describe('malformed csv', () => {
  it('says which input is broken', () => {
    expect(() => parseCsv('a,b\n1,2,3\n', 'train.csv')).toThrow(/^train\.csv is not valid CSV: /);
  });
});
