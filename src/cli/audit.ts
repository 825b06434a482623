import type { Command } from 'commander';
import { formatNumber, text, type Text } from '../i18n/text.ts';
import { keptHeadOf, parseKeptHead, verifyAuditChain, type ChainFinding } from '../services/audit.ts';
import type { CliContext } from './context.ts';

export function registerAuditCommands(program: Command, ctx: CliContext): void {
  const audit = program.command('audit').description('the audit log: verify its hash chain');
  audit
    .command('verify')
    .description("walk the audit log's hash chain and name the first row changed, removed or inserted out of order")
    .option('--head <row:hash>', "a head kept outside the database (a digest's footer), e.g. 1234:5b9c143d976b")
    .action(async (opts: { head?: string }) => {
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
