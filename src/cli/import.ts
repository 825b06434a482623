import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { formatNumber, text } from '../i18n/text.ts';
import type { CliContext } from './context.ts';

export function registerImportCommands(program: Command, ctx: CliContext): void {
  const group = program.command('import').description(ctx.describe('nạp dữ liệu từ tệp', 'load data from files'));
  group
    .command('cases')
    .description(
      ctx.describe(
        'nhập hoặc nhập lại danh sách truy nã từ tệp CSV hoặc .xlsx (tệp có bất kỳ dòng lỗi nào thì không nhập gì)',
        'import or re-import the wanted list from a CSV or .xlsx file (a file with any bad row imports nothing)',
      ),
    )
    .argument(
      '<file>',
      ctx.describe(
        'tệp CSV (phân cách bằng dấu phẩy, chấm phẩy hoặc tab; UTF-8 hoặc UTF-16) hoặc bảng tính .xlsx, có dòng tiêu đề (xem README, mục "Importing the wanted list")',
        'a CSV file (, ; or tab; UTF-8 or UTF-16) or an .xlsx workbook with a header row (see README: "Importing the wanted list")',
      ),
    )
    .option(
      '--dry-run',
      ctx.describe(
        'kiểm tra tệp và cho biết những gì sẽ thay đổi, không ghi gì',
        'check the file and say what would change, without writing anything',
      ),
    )
    .action(async (file: string, opts: { dryRun?: boolean }) => {
      let data: Buffer;
      try {
        data = await readFile(file);
      } catch (error) {
        const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
        ctx.fail(text(`Không đọc được tệp ${file} (${reason}).`, `Cannot read ${file} (${reason}).`));
      }
      // The import is one transaction: a lost connection leaves nothing of it.
      ctx.interruptedNote = text('không có gì của lần nhập này được ghi', 'nothing of this import was written');
      await ctx.withDb(async ({ db }) => {
        // Loaded when the command runs, not to parse the command line.
        const { importCases } = await import('../services/case-import.ts');
        const report = await importCases(db, { data, name: basename(file), dryRun: opts.dryRun ?? false, timeZone: ctx.config.timeZone });
        const l = ctx.config.locale;
        if (report.errors.length) {
          // A sheet has rows; a CSV file has lines (a quoted value may span several).
          const unit = l === 'vi' ? 'dòng' : report.format === 'xlsx' ? 'row' : 'line';
          for (const error of report.errors) {
            const where = error.line > 0 ? `${unit} ${error.line}: ` : '';
            ctx.print(`${where}${error.text(l)}`);
          }
          const lines = new Set(report.errors.map((x) => x.line)).size;
          ctx.fail(
            text(
              `Không nhập gì: ${formatNumber('vi', lines)} dòng có lỗi. Sửa tệp rồi chạy lại.`,
              `Nothing was imported: ${formatNumber('en', lines)} line(s) with problems. Fix the file and run again.`,
            ),
          );
        }
        const n = (x: number) => formatNumber(l, x);
        ctx.print(
          report.dryRun
            ? ctx.say(
                text(
                  `Kiểm tra xong, chưa ghi gì: ${n(report.created)} hồ sơ mới, ${n(report.updated)} cập nhật, ${n(report.unchanged)} không đổi.`,
                  `Checked, nothing written: ${n(report.created)} new, ${n(report.updated)} to update, ${n(report.unchanged)} unchanged.`,
                ),
              )
            : ctx.say(
                text(
                  `Đã nhập: ${n(report.created)} hồ sơ mới, ${n(report.updated)} cập nhật, ${n(report.unchanged)} không đổi.`,
                  `Imported: ${n(report.created)} new, ${n(report.updated)} updated, ${n(report.unchanged)} unchanged.`,
                ),
              ),
        );
      });
    });
}
