import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { link, lstat, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { finished, pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { stringify } from 'csv-stringify';
import { escapeFormula } from '../domain/spreadsheet.ts';
import { formatNumber, text, type Locale } from '../i18n/text.ts';
import { CSV_COLUMNS } from '../services/case-import.ts';
import { caseExportPages, EXPORT_DATE_COLUMNS, type CaseExportRecord } from '../services/case-export.ts';
import type { CliContext } from './context.ts';

type Pages = AsyncIterable<CaseExportRecord[]>;

export function registerExportCommands(program: Command, ctx: CliContext): void {
  const group = program.command('export').description(ctx.describe('xuất dữ liệu ra tệp', 'write data to files'));
  group
    .command('cases')
    .description(
      ctx.describe(
        'xuất danh sách truy nã ra tệp CSV hoặc .xlsx với đúng các cột mà lệnh import cases đọc (nhập lại được)',
        'write the wanted list to a CSV or .xlsx file with the columns that import cases reads (it can be imported back)',
      ),
    )
    .option(
      '--unit <code>',
      ctx.describe('chỉ hồ sơ của đơn vị này và các đơn vị cấp dưới', 'only the cases of this unit and its sub-units'),
    )
    .argument(
      '<file>',
      ctx.describe(
        'tệp sẽ ghi, ví dụ ho-so.csv (UTF-8 có BOM, mở được bằng Excel) hoặc ho-so.xlsx; không bao giờ ghi đè tệp đã có',
        'the file to write, e.g. cases.csv (UTF-8 with a byte-order mark, for Excel) or cases.xlsx; never overwritten',
      ),
    )
    .action(async (file: string, opts: { unit?: string }) => {
      const format = /\.(csv|xlsx)$/i.exec(file)?.[1]?.toLowerCase() as 'csv' | 'xlsx' | undefined;
      if (!format)
        ctx.fail(
          text(
            `Tệp ${file} phải có đuôi .csv hoặc .xlsx; ví dụ: casedesk export cases ho-so.xlsx.`,
            `${file} must end in .csv or .xlsx; e.g. casedesk export cases cases.xlsx.`,
          ),
        );
      if (await exists(file)) ctx.fail(existsAlready(file));
      // A connection lost midway leaves only the temporary file, which is removed.
      ctx.interruptedNote = text('không có tệp nào được ghi', 'no file was written');
      await ctx.withDb(async ({ db }) => {
        const unitIds = await ctx.unitTree(db, opts.unit);
        const pages = caseExportPages(db, { unitIds, locale: ctx.config.locale });
        // Written beside the file under a name of its own, then given the file's name: a failure
        // midway leaves no half-written list where the operator expects one.
        const temporary = join(dirname(file), `.${basename(file)}.${randomBytes(4).toString('hex')}.part`);
        let count = 0;
        let published: Awaited<ReturnType<typeof publish>>;
        try {
          count = await (format === 'csv' ? writeCsv(temporary, pages) : writeXlsx(temporary, pages, ctx.config.locale));
          published = await publish(temporary, file);
        } catch (error) {
          // The file system's refusals (a missing folder, no right to write, a full disk) are the operator's to fix.
          const code = (error as NodeJS.ErrnoException).code;
          if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) published = { failed: code };
          else throw error;
        } finally {
          // Published, the file holds the data under its own name; unpublished, nothing is left.
          await rm(temporary, { force: true });
        }
        if (published !== 'ok')
          ctx.fail(
            published === 'exists'
              ? existsAlready(file)
              : text(
                  `Không ghi được tệp ${file} (${published.failed}); kiểm tra thư mục và quyền ghi.`,
                  `Cannot write ${file} (${published.failed}); check the folder and its permissions.`,
                ),
          );
        ctx.noteAudit({ args: { rows: count } });
        const scope = opts.unit ? ` (${opts.unit.trim().toUpperCase()})` : '';
        ctx.print(
          ctx.say(
            text(
              `Đã ghi ${formatNumber('vi', count)} hồ sơ${scope} vào ${file}.`,
              `Wrote ${formatNumber('en', count)} case(s)${scope} to ${file}.`,
            ),
          ),
        );
      });
    });
}

const existsAlready = (file: string) =>
  text(`Tệp ${file} đã có; chọn tên khác hoặc xoá tệp cũ.`, `${file} exists already; choose another name or remove it.`);

async function exists(file: string): Promise<boolean> {
  return lstat(file).then(
    () => true,
    () => false,
  );
}

/**
 * Gives the finished temporary file the export's name, unless a file took that name meanwhile:
 * a hard link fails on an existing name where a rename would replace it. A file system without
 * hard links gets a check and a rename.
 */
async function publish(temporary: string, file: string): Promise<'ok' | 'exists' | { failed: string }> {
  try {
    await link(temporary, file);
    return 'ok';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'EEXIST') return 'exists';
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') return { failed: code };
  }
  if (await exists(file)) return 'exists';
  await rename(temporary, file);
  return 'ok';
}

/** CSV for Excel: UTF-8 with a byte-order mark, a header of the import's columns, formula characters escaped. */
async function writeCsv(path: string, pages: Pages): Promise<number> {
  // Opened first: a folder that cannot be written to is told before any case is read.
  const out = await open(path, 'wx');
  const csv = stringify({ header: true, columns: [...CSV_COLUMNS], bom: true });
  const written = pipeline(csv, out.createWriteStream());
  let count = 0;
  try {
    for await (const page of pages) {
      for (const record of page) {
        const row = Object.fromEntries(
          Object.entries(record).map(([column, value]) => [column, typeof value === 'string' ? escapeFormula(value) : value]),
        );
        if (!csv.write(row)) await once(csv, 'drain');
        count += 1;
      }
    }
  } finally {
    csv.end();
    await written;
  }
  return count;
}

/**
 * An `.xlsx` workbook of one sheet: text cells stay text (a national ID keeps its leading zero,
 * a value beginning with `=` is no formula), the dates are spreadsheet dates, the birth year a number.
 */
async function writeXlsx(path: string, pages: Pages, locale: Locale): Promise<number> {
  // Loaded only here: exceljs is large, and most runs of the command line never write a workbook.
  const excel = (await import('exceljs')).default;
  // Opened here rather than by exceljs, whose own file stream does not report a failure to open.
  const out = (await open(path, 'wx')).createWriteStream();
  const done = finished(out);
  const workbook = new excel.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: true });
  const sheet = workbook.addWorksheet(locale === 'vi' ? 'Hồ sơ' : 'Cases', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = CSV_COLUMNS.map((column) => ({
    header: column,
    key: column,
    width: Math.max(12, column.length + 2),
    ...(EXPORT_DATE_COLUMNS.has(column) ? { style: { numFmt: 'dd/mm/yyyy' } } : {}),
  }));
  let count = 0;
  for await (const page of pages) {
    for (const record of page) {
      const row: Record<string, string | number | Date | null> = { ...record };
      for (const column of EXPORT_DATE_COLUMNS) {
        const value = record[column];
        if (typeof value === 'string') row[column] = new Date(`${value}T00:00:00Z`);
      }
      sheet.addRow(row).commit();
      count += 1;
    }
  }
  sheet.commit();
  await workbook.commit();
  await done;
  return count;
}
