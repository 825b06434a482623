import { Argument, type Command } from 'commander';
import type { DbHandle } from '../../db/client.ts';
import type { Config } from '../config.ts';
import { plural } from '../i18n/plural.ts';
import { formatDateTime, formatNumber, text, type Text } from '../i18n/text.ts';
import { HIT_LADDER_JOB, HOUSEKEEPING_JOB } from '../jobs/names.ts';
import type { CliContext } from './context.ts';

/**
 * The scheduled jobs an operator may run by name, as the scheduler runs them: each does what is
 * due at that instant and nothing more, so running one while the scheduler runs it too is harmless.
 * Digests, reminders and the outbox are `casedesk digest run-schedules`.
 */
const JOBS: Record<
  string,
  { description: Text; run(ctx: CliContext, handle: DbHandle, input: { now: Date; config: Config }): Promise<void> }
> = {
  [HOUSEKEEPING_JOB]: {
    description: text(
      'xoá các mã yêu cầu đã xử lý cũ hơn CASEDESK_INVOCATION_RETENTION_DAYS ngày, các tin nhắn đã gửi xong hơn một tháng trước và các yêu cầu xác nhận đã hết hạn; không bao giờ xoá nhật ký kiểm toán',
      'forgets processed request ids older than CASEDESK_INVOCATION_RETENTION_DAYS, messages delivered over a month ago and expired confirmations; never audit rows',
    ),
    async run(ctx, handle, { now, config }) {
      const days = config.invocationRetentionDays;
      // Loaded when the job runs, not to parse the command line.
      const { runHousekeeping } = await import('../jobs/housekeeping.ts');
      const f = await runHousekeeping(handle.db, { now, invocationRetentionDays: days, logger: ctx.logger });
      ctx.noteAudit({ args: { forgotten: { invocations: f.invocations, delivered: f.delivered, confirmations: f.confirmations } } });
      const at = (locale: 'vi' | 'en', instant: Date) => formatDateTime(locale, instant, config.timeZone);
      const vi = (value: number) => formatNumber('vi', value);
      const lines: Text[] = [
        text(
          `Đã xoá ${vi(f.invocations)} mã yêu cầu đã xử lý từ hơn ${vi(days)} ngày trước (trước ${at('vi', f.invocationsBefore)}; CASEDESK_INVOCATION_RETENTION_DAYS).`,
          `Forgot ${plural('en', f.invocations, 'processed request id', 'processed request ids')} claimed more than ${plural('en', days, 'day', 'days')} ago (before ${at('en', f.invocationsBefore)}; CASEDESK_INVOCATION_RETENTION_DAYS).`,
        ),
        text(
          `Đã xoá ${vi(f.delivered)} tin nhắn đã gửi xong trước ${at('vi', f.deliveredBefore)}.`,
          `Forgot ${plural('en', f.delivered, 'message', 'messages')} delivered before ${at('en', f.deliveredBefore)}.`,
        ),
        text(
          `Đã xoá ${vi(f.confirmations)} yêu cầu xác nhận đã hết hạn.`,
          `Forgot ${plural('en', f.confirmations, 'expired confirmation', 'expired confirmations')}.`,
        ),
        text(
          'Nhật ký kiểm toán được giữ nguyên: casedesk không bao giờ xoá dòng nào trong đó.',
          'The audit log is kept whole: casedesk never deletes its rows.',
        ),
      ];
      for (const line of lines) ctx.print(ctx.say(line));
    },
  },
  [HIT_LADDER_JOB]: {
    description: text(
      'đẩy các yêu cầu xác nhận kết quả đối chiếu chưa được trả lời lên bậc tiếp theo: hỏi lại, rồi báo lãnh đạo đơn vị quản lý hồ sơ, rồi chuyển quá hạn (bộ lập lịch chạy việc này mỗi phút)',
      "moves unanswered hit confirmations up their ladder: asked again, then the owning unit's leads told, then overdue (the scheduler runs it every minute)",
    ),
    async run(ctx, handle, { now, config }) {
      const { runHitLadder } = await import('../jobs/hit-ladder.ts');
      const pass = await runHitLadder(handle.db, { now, timeZone: config.timeZone, logger: ctx.logger });
      ctx.noteAudit({ args: { ...pass } });
      const vi = (value: number) => formatNumber('vi', value);
      ctx.print(
        ctx.say(
          text(
            `Hỏi lại ${vi(pass.askedAgain)} yêu cầu xác nhận; báo lãnh đạo đơn vị ${vi(pass.leadsTold)}; chuyển quá hạn ${vi(pass.overdue)}.`,
            `Asked again: ${formatNumber('en', pass.askedAgain)}; told to the units' leads: ${formatNumber('en', pass.leadsTold)}; now overdue: ${formatNumber('en', pass.overdue)}.`,
          ),
        ),
      );
    },
  },
};

export function registerJobCommands(program: Command, ctx: CliContext): void {
  const jobs = program.command('jobs').description(ctx.describe('các việc định kỳ, chạy theo tên', 'the scheduled jobs, run by name'));
  const names = Object.keys(JOBS).join(', ');
  jobs
    .command('run')
    .description(
      ctx.describe(
        `chạy ngay một việc định kỳ, như bộ lập lịch chạy: ${names}`,
        `run a scheduled job now, as the scheduler does: ${names}`,
      ),
    )
    .addArgument(
      new Argument(
        '<name>',
        Object.entries(JOBS)
          .map(([name, job]) => `${name}: ${ctx.describe(job.description('vi'), job.description('en'))}`)
          .join('; '),
      ).choices(Object.keys(JOBS)),
    )
    .action(async (name: string) => {
      const job = JOBS[name]!;
      // A bad setting stops the command before it opens the database, as at start.
      const config = ctx.config;
      await ctx.withDb((handle) => job.run(ctx, handle, { now: new Date(), config }));
    });
}
