import { once } from 'node:events';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { addDays, parseIsoDate, startOfDayIn } from '../domain/dates.ts';
import { dateProblemText } from '../i18n/dates.ts';
import { formatDate, formatNumber, text, type Text } from '../i18n/text.ts';
import type { ChainFinding } from '../services/audit.ts';
import type { CliContext } from './context.ts';

export function registerAuditCommands(program: Command, ctx: CliContext): void {
  const audit = program
    .command('audit')
    .description(
      ctx.describe(
        'nhật ký kiểm toán: kiểm tra chuỗi băm, xuất ra tệp để rà soát',
        'the audit log: verify its hash chain, export it for review',
      ),
    );
  audit
    .command('verify')
    .description(
      ctx.describe(
        'kiểm tra chuỗi băm của nhật ký kiểm toán và chỉ ra dòng đầu tiên bị sửa, bị xoá hoặc bị chèn sai thứ tự',
        "walk the audit log's hash chain and name the first row changed, removed or inserted out of order",
      ),
    )
    .option(
      '--head <row:hash>',
      ctx.describe(
        'đầu chuỗi đã lưu ngoài cơ sở dữ liệu (in ở cuối báo cáo tiến độ), ví dụ 1234:5b9c143d976b',
        "a head kept outside the database (a digest's footer), e.g. 1234:5b9c143d976b",
      ),
    )
    .action(async (opts: { head?: string }) => {
      // The services (and the database drivers under them) load when the command runs, not to parse the command line.
      const { keptHeadOf, parseKeptHead, verifyAuditChain } = await import('../services/audit.ts');
      const kept = opts.head === undefined ? undefined : parseKeptHead(opts.head);
      if (opts.head !== undefined && !kept)
        ctx.fail(
          text(
            `"${opts.head}" không phải đầu chuỗi; ghi theo mẫu SỐ_DÒNG:MÃ_BĂM như ở cuối bản tổng hợp, ví dụ 1234:5b9c143d976b.`,
            `"${opts.head}" is not a chain head; write it as ROW:HASH as a digest's footer prints it, e.g. 1234:5b9c143d976b.`,
          ),
        );
      await ctx.withDb(async ({ db }) => {
        const report = await verifyAuditChain(db, kept ? { kept } : {});
        const n = (value: number) => formatNumber(ctx.config.locale, value);
        if (!report.finding) {
          ctx.print(
            ctx.say(
              text(
                `Nhật ký kiểm toán nguyên vẹn: ${n(report.rows)} dòng, đầu chuỗi ${keptHeadOf(report.head)}.`,
                `The audit log is intact: ${n(report.rows)} rows, chain head ${keptHeadOf(report.head)}.`,
              ),
            ),
          );
          if (kept)
            ctx.print(
              ctx.say(
                text(
                  `Khớp với đầu chuỗi đã lưu ${opts.head}: nhật ký đến dòng đó không bị viết lại.`,
                  `It matches the kept head ${opts.head}: the log up to that row was not rewritten.`,
                ),
              ),
            );
          return;
        }
        ctx.print(ctx.say(findingText(report.finding, n)));
        ctx.setExitCode(1);
        ctx.noteAudit({ args: { finding: report.finding } });
      });
    });
  registerAuditExport(audit, ctx);
}

function findingText(f: ChainFinding, n: (value: number) => string): Text {
  switch (f.kind) {
    case 'changed':
      return text(
        `Nhật ký kiểm toán đã bị sửa: dòng ${f.id} (vị trí ${n(f.seq)} trong chuỗi) không còn như khi ghi.`,
        `The audit log was changed: row ${f.id} (link ${n(f.seq)} of the chain) is not what was written.`,
      );
    case 'removed': {
      const which = f.from === f.to ? n(f.from) : `${n(f.from)}–${n(f.to)}`;
      return text(
        `Nhật ký kiểm toán đã bị xoá dòng: vị trí ${which} trong chuỗi không còn, ${f.nextId === null ? 'ở cuối nhật ký' : `ngay trước dòng ${f.nextId}`}.`,
        `Rows were removed from the audit log: link ${which} of the chain is gone, ${f.nextId === null ? 'at the end of the log' : `just before row ${f.nextId}`}.`,
      );
    }
    case 'out_of_order':
      return text(
        `Nhật ký kiểm toán có dòng chèn sai thứ tự: dòng ${f.id} mang vị trí ${n(f.seq)} đã có dòng khác.`,
        `A row was inserted into the audit log out of order: row ${f.id} carries link ${n(f.seq)}, which another row holds.`,
      );
    case 'outside':
      return text(
        `Nhật ký kiểm toán có ${n(f.count)} dòng chèn ngoài chuỗi (bỏ qua trigger), đầu tiên là dòng ${f.id}.`,
        `The audit log holds ${n(f.count)} row(s) inserted outside the chain (its trigger bypassed), the first being row ${f.id}.`,
      );
    case 'beyond_head':
      return text(
        `Nhật ký kiểm toán có dòng chèn ngoài chuỗi: dòng ${f.id} mang vị trí ${n(f.seq)}, sau đầu chuỗi.`,
        `A row was inserted outside the chain: row ${f.id} carries link ${n(f.seq)}, past the chain's head.`,
      );
    case 'kept_head':
      return text(
        f.found === null
          ? `Không còn dòng ở vị trí ${n(f.seq)} mà bản tổng hợp đã ghi: nhật ký đã bị viết lại.`
          : `Vị trí ${n(f.seq)} không còn mã băm như bản tổng hợp đã ghi (nay là ${f.found.slice(0, 12)}): nhật ký đã bị viết lại.`,
        f.found === null
          ? `Link ${n(f.seq)}, which the digest recorded, no longer exists: the log was rewritten.`
          : `Link ${n(f.seq)} no longer has the hash the digest recorded (now ${f.found.slice(0, 12)}): the log was rewritten.`,
      );
  }
}

/** The columns of `casedesk audit export`, in order. */
const EXPORT_COLUMNS = [
  'id',
  'chain_seq',
  'at',
  'member',
  'member_unit',
  'platform',
  'workspace_id',
  'user_id',
  'channel_id',
  'os_user',
  'os_host',
  'command',
  'case_codes',
  'outcome',
  'detail',
  'args',
  'hash',
] as const;

function registerAuditExport(audit: Command, ctx: CliContext): void {
  audit
    .command('export')
    .description(
      ctx.describe(
        'ghi các dòng nhật ký kiểm toán trong một khoảng thời gian ra tệp CSV (UTF-8 có BOM, mở được bằng Excel)',
        'write the audit rows of a period to a CSV file (UTF-8 with a byte-order mark, for Excel)',
      ),
    )
    .requiredOption(
      '--from <date>',
      ctx.describe('ngày đầu, dạng YYYY-MM-DD (theo CASEDESK_TIME_ZONE)', 'first day, YYYY-MM-DD (in CASEDESK_TIME_ZONE)'),
    )
    .requiredOption('--to <date>', ctx.describe('ngày cuối, dạng YYYY-MM-DD, tính cả ngày này', 'last day, YYYY-MM-DD, included'))
    .option(
      '--unit <code>',
      ctx.describe(
        'chỉ các dòng về thành viên và hồ sơ của đơn vị này và các đơn vị cấp dưới',
        "only rows of this unit's members and cases, and its sub-units'",
      ),
    )
    .argument('<file>', ctx.describe('tệp CSV sẽ ghi, ví dụ audit-2026-11.csv', 'the CSV file to write, e.g. audit-2026-11.csv'))
    .action(async (file: string, opts: { from: string; to: string; unit?: string }) => {
      const { stringify } = await import('csv-stringify');
      const { auditRowsOfPeriod } = await import('../services/audit.ts');
      const from = parseIsoDate(opts.from);
      const to = parseIsoDate(opts.to);
      if (!from) ctx.fail(dateProblemText(() => '--from', opts.from));
      if (!to) ctx.fail(dateProblemText(() => '--to', opts.to));
      if (to < from)
        ctx.fail(
          text(
            `Khoảng ngày không hợp lệ (--from ${opts.from} --to ${opts.to}): ngày đầu phải không sau ngày cuối.`,
            `The dates are not valid (--from ${opts.from} --to ${opts.to}): the first day must not be after the last.`,
          ),
        );
      await ctx.withDb(async ({ db }) => {
        const unitIds = await ctx.unitTree(db, opts.unit || undefined);
        const tz = ctx.config.timeZone;
        const rows = auditRowsOfPeriod(db, { from: startOfDayIn(tz, from), to: startOfDayIn(tz, addDays(to, 1)), unitIds });
        const out = await openNew(file).catch((error: NodeJS.ErrnoException) =>
          ctx.fail(
            error.code === 'EEXIST'
              ? text(`Tệp ${file} đã có; chọn tên khác hoặc xoá tệp cũ.`, `${file} exists already; choose another name or remove it.`)
              : text(
                  `Không ghi được tệp ${file} (${error.code ?? error.message}); kiểm tra thư mục và quyền ghi.`,
                  `Cannot write ${file} (${error.code ?? error.message}); check the folder and its permissions.`,
                ),
          ),
        );
        const csv = stringify({ header: true, columns: [...EXPORT_COLUMNS], bom: true });
        const written = pipeline(csv, out.createWriteStream());
        let count = 0;
        let complete = false;
        try {
          for await (const r of rows) {
            const row: Record<(typeof EXPORT_COLUMNS)[number], string | number | null> = {
              id: r.id,
              chain_seq: r.seq,
              at: r.at.toISOString(),
              member: r.memberHandle,
              member_unit: r.memberUnit,
              platform: r.platform,
              workspace_id: r.workspaceId,
              user_id: r.userId,
              channel_id: r.channelId,
              os_user: r.osUser,
              os_host: r.osHost,
              command: r.command,
              case_codes: r.caseCodes.join(' '),
              outcome: r.outcome,
              detail: r.detail,
              args: JSON.stringify(r.args),
              hash: r.hash,
            };
            if (!csv.write(row)) await once(csv, 'drain');
            count++;
          }
          complete = true;
        } finally {
          csv.end();
          await written;
          // Half a record is worse than none: an export cut short leaves no file behind.
          if (!complete) await rm(file, { force: true });
        }
        ctx.noteAudit({ args: { rows: count } });
        ctx.print(
          ctx.say(
            text(
              `Đã ghi ${formatNumber('vi', count)} dòng nhật ký (${formatDate('vi', from)}–${formatDate('vi', to)}${opts.unit ? `, ${opts.unit.toUpperCase()}` : ''}) vào ${file}.`,
              `Wrote ${formatNumber('en', count)} audit rows (${from} to ${to}${opts.unit ? `, ${opts.unit.toUpperCase()}` : ''}) to ${file}.`,
            ),
          ),
        );
      });
    });
}

/** Opens `file` for writing only if it does not exist yet: an export never overwrites another. */
function openNew(file: string): Promise<FileHandle> {
  return open(file, 'wx');
}
