import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Neutralises spreadsheet formula injection: a text cell that begins with `= + - @`, a tab or a
 * carriage return gets a leading single quote, so that Excel and WPS show it as text instead of
 * evaluating it. Every text cell of every export goes through this.
 */
export function escapeCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export interface SheetColumn<T> {
  header: string;
  width: number;
  /** Text is escaped; numbers and dates are written as typed cells. */
  value(row: T): string | number | Date | null;
  numFmt?: string;
}

export interface Sheet<T> {
  name: string;
  columns: readonly SheetColumn<T>[];
  rows: AsyncIterable<readonly T[]> | Iterable<readonly T[]>;
}

function cell(value: string | number | Date | null): string | number | Date | null {
  return typeof value === 'string' ? escapeCell(value) : value;
}

/**
 * Writes sheets with the streaming writer (rows are committed as they come, so a large export does
 * not hold a workbook object per cell) and returns the finished file.
 */
export async function writeXlsx(sheets: readonly Sheet<unknown>[]): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
  for (const sheet of sheets) {
    const ws = workbook.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = sheet.columns.map((c, i) => ({
      header: c.header,
      key: String(i),
      width: c.width,
      ...(c.numFmt ? { style: { numFmt: c.numFmt } } : {}),
    }));
    ws.getRow(1).font = { bold: true };
    ws.getRow(1).commit();
    for await (const batch of sheet.rows) {
      for (const row of batch) ws.addRow(sheet.columns.map((c) => cell(c.value(row)))).commit();
    }
    ws.commit();
  }
  await workbook.commit();
  await done;
  return Buffer.concat(chunks);
}
