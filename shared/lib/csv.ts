import { parse } from 'csv-parse/sync';

/**
 * CSV in and out for the CLIs and the dataset loaders. Parsing goes through csv-parse
 * (RFC 4180: quoted fields with commas, quotes and newlines, as the Bitext responses have);
 * writing quotes only the fields that need it.
 */

/** Thrown for CSV that cannot be used: malformed (with the line), or lacking a column the caller needs. */
export class CsvInputError extends Error {}

/** Parses CSV text with a header row into one record per row (BOM stripped, empty lines skipped). */
export function parseCsv(text: string, source = 'the input'): Array<Record<string, string>> {
  try {
    return parse(text, { columns: true, bom: true, skip_empty_lines: true }) as Array<Record<string, string>>;
  } catch (err) {
    throw new CsvInputError(`${source} is not valid CSV: ${(err as Error).message}`, { cause: err });
  }
}

/** Checks that every named column is in the header; throws CsvInputError naming the first missing one. */
export function requireColumns(rows: ReadonlyArray<Record<string, string>>, columns: readonly string[], source = 'the input'): void {
  const header = rows[0] ? Object.keys(rows[0]) : [];
  for (const column of columns) {
    if (rows.length > 0 && !header.includes(column)) {
      throw new CsvInputError(`${source} has no column "${column}"; its columns are: ${header.join(', ')}`);
    }
  }
}

/** One CSV field: quoted when it holds a comma, quote, CR or LF (quotes doubled). */
export function csvField(value: string | number | undefined | null): string {
  if (value === undefined || value === null) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line (no line break) from a row of values. */
export function csvLine(values: ReadonlyArray<string | number | undefined | null>): string {
  return values.map(csvField).join(',');
}
