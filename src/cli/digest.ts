import { writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import type { Locale } from '../../db/schema/index.ts';
import { renderMarkdown, renderText } from '../adapters/console/render.ts';
import { DIGEST_TARGETS, PLATFORM_ADAPTERS } from '../adapters/index.ts';
import { choiceOf, type Platform, type Poster } from '../core/platform.ts';
import { dayIn, parseIsoDate } from '../domain/dates.ts';
import { dateProblemText } from '../i18n/dates.ts';
import { plural } from '../i18n/plural.ts';
import { text, type Text } from '../i18n/text.ts';
import { undeliveredByPlatform } from '../repositories/outbox.ts';
import { buildDigest } from '../services/digest/digest.ts';
import { PERIOD_PRESETS, type PeriodPreset } from '../services/digest/period.ts';
import { resolveDigestRequest } from '../services/digest/request.ts';
import { deliveredDigest } from '../services/digest/delivered.ts';
import {
  addSchedule,
  listSchedules,
  removeSchedule,
  SCHEDULE_KINDS,
  SCHEDULE_PERIODS,
  type ScheduleKind,
  type SchedulePeriod,
} from '../services/digest/schedules.ts';
import { digestMessage } from '../presenters/digest.ts';
import { scheduleLine } from '../presenters/digest-schedule.ts';
import type { Config } from '../config.ts';
import type { Delivery } from '../scheduler/outbox.ts';
import type { CliContext } from './context.ts';
import { configuredDigestRunner } from './runner.ts';

/** What became of a message, as `run-schedules` prints it after its key. */
const DELIVERY_OUTCOME: Record<Delivery['outcome'], Text> = {
  delivered: text('đã gửi', 'delivered'),
  failed: text('lỗi, sẽ gửi lại', 'failed, will be retried'),
  'gave-up': text('đã dừng gửi sau nhiều lần lỗi', 'given up after repeated failures'),
};

/** The name people read for a platform: `Slack`. */
const platformLabel = (platform: Platform): string => PLATFORM_ADAPTERS.find((p) => p.name === platform)?.label ?? platform;

/** The platforms this configuration can post to, without listening for chat. */
export async function configuredPosters(config: Config): Promise<Partial<Record<Platform, Poster>>> {
  const posters: Partial<Record<Platform, Poster>> = {};
  for (const platform of PLATFORM_ADAPTERS) {
    const configured = platform.configure(config);
    if (configured) posters[platform.name] = await configured.createPoster();
  }
  return posters;
}

/** `slack:C0123` → the platform and the channel, for the platforms digests can go to. */
function parseTarget(target: string): { platform: Platform; channel: string } | undefined {
  const match = /^([a-z]+):([A-Za-z0-9]+)$/.exec(target);
  const platform = match && DIGEST_TARGETS.find((p) => p.name === match[1]);
  return platform ? { platform: platform.name, channel: match[2]! } : undefined;
}

/** `discord:CHANNEL_ID or slack:CHANNEL_ID`, in the reader's words for the channel and for `or`. */
const targetForms = (channel: string, or: string) =>
  choiceOf(
    DIGEST_TARGETS.map((p) => `${p.name}:${channel}`),
    or,
  );

export function registerDigestCommands(program: Command, ctx: CliContext): void {
  const date = (name: string) => (value: string) => {
    const parsed = parseIsoDate(value);
    if (!parsed) ctx.fail(dateProblemText(() => name, value));
    return parsed;
  };
  const unitHelp = ctx.describe('một đơn vị và các đơn vị cấp dưới (mặc định: tất cả)', 'a unit and its sub-units (default: all)');
  const localeHelp = ctx.describe('vi hoặc en (mặc định: CASEDESK_LOCALE)', 'vi or en (default: CASEDESK_LOCALE)');
  const formatHelp = ctx.describe('định dạng đầu ra', 'output format');
  const digest = program.command('digest').description(
    ctx.describe(
      // As main.ts's stand-in says it, in the list of commands.
      'báo cáo tiến độ cho ban chỉ đạo: in ra, đặt lịch gửi',
      "the steering committee's progress digest: print it, schedule it",
    ),
  );
  // The report itself is the default subcommand, so that `digest --unit X` and
  // `digest schedule add --unit X` each keep their own options.
  digest
    .command('show', { isDefault: true })
    .description(
      ctx.describe('in báo cáo tiến độ cho ban chỉ đạo (lệnh mặc định)', "print the steering committee's progress digest (the default)"),
    )
    .option('--from <date>', ctx.describe('ngày đầu (YYYY-MM-DD), dùng cùng --to', 'first day (YYYY-MM-DD), with --to'), date('--from'))
    .option('--to <date>', ctx.describe('ngày cuối (YYYY-MM-DD), dùng cùng --from', 'last day (YYYY-MM-DD), with --from'), date('--to'))
    .addOption(
      new Option('--period <preset>', ctx.describe('kỳ báo cáo định sẵn (mặc định: ytd)', 'a preset period (default: ytd)')).choices([
        ...PERIOD_PRESETS,
      ]),
    )
    .option('--unit <code>', unitHelp)
    .addOption(new Option('--locale <locale>', localeHelp).choices(['vi', 'en']))
    .addOption(new Option('--format <format>', formatHelp).choices(['text', 'markdown', 'json']).default('text'))
    .option('--chart <file>', ctx.describe('ghi thêm biểu đồ ra tệp PNG', 'also write the chart as a PNG file'))
    .option(
      '--as-delivered <run>',
      ctx.describe(
        'in lại đúng báo cáo mà một lần gửi theo lịch đã gửi đi (số của lần gửi: digest_runs.id)',
        'reprint the digest a scheduled run sent, as it was sent (its number: digest_runs.id)',
      ),
    )
    .action(
      async (opts: {
        from?: string;
        to?: string;
        period?: PeriodPreset;
        unit?: string;
        locale?: Locale;
        format: 'text' | 'markdown' | 'json';
        chart?: string;
        asDelivered?: string;
      }) => {
        if (opts.asDelivered !== undefined) {
          const runId = opts.asDelivered;
          if (!/^\d{1,15}$/.test(runId))
            ctx.fail(text(`--as-delivered: "${runId}" không phải số lần gửi.`, `--as-delivered: "${runId}" is not a run number.`));
          await ctx.withDb(async ({ db }) => {
            const sent = await deliveredDigest(db, { runId: Number(runId), timeZone: ctx.config.timeZone });
            if (!sent.ok) ctx.fail(sent.failure);
            const { message, figures } = sent.value;
            if (opts.format === 'json') ctx.print(JSON.stringify({ message, figures }, null, 2));
            else ctx.print((opts.format === 'markdown' ? renderMarkdown : renderText)(message));
          });
          return;
        }
        await ctx.withDb(async ({ db }) => {
          const today = dayIn(ctx.config.timeZone, new Date());
          const request = await resolveDigestRequest(db, {
            scope: null,
            unitCode: opts.unit,
            preset: opts.period,
            from: opts.from,
            to: opts.to,
            today,
          });
          if (!request.ok) ctx.fail(request.failure);
          const locale = opts.locale ?? ctx.config.locale;
          const d = await buildDigest(db, {
            ...request.value,
            today,
            timeZone: ctx.config.timeZone,
            validation: ctx.config.validation,
          });
          if (opts.format === 'json') ctx.print(JSON.stringify(d, null, 2));
          else if (opts.format === 'markdown') ctx.print(renderMarkdown(digestMessage(d, locale)));
          else ctx.print(renderText(digestMessage(d, locale)));
          if (opts.chart) {
            // vega and resvg load only to draw a chart, not to parse the command line.
            const { renderDigestChart } = await import('../presenters/digest-chart.ts');
            await writeFile(opts.chart, await renderDigestChart(d, locale));
          }
        });
      },
    );

  const schedule = digest
    .command('schedule')
    .description(ctx.describe('lịch gửi báo cáo: thêm (add), xem (list), xoá (remove)', 'digest schedules: add, list, remove'));
  schedule
    .command('add')
    .description(ctx.describe('gửi báo cáo tiến độ vào một kênh chat theo lịch', 'post the digest to a chat channel on a schedule'))
    .requiredOption('--target <platform:channel>', ctx.describe(targetForms('MÃ_KÊNH', 'hoặc'), targetForms('CHANNEL_ID', 'or')))
    .requiredOption(
      '--cron <expression>',
      ctx.describe(
        'năm trường: phút giờ ngày tháng thứ, ví dụ "0 7 * * 1"',
        'five fields: minute hour day month weekday, e.g. "0 7 * * 1"',
      ),
    )
    .option('--tz <zone>', ctx.describe('múi giờ IANA (mặc định: TZ)', 'IANA time zone (default: TZ)'))
    .addOption(
      new Option('--period <preset>', ctx.describe('kỳ báo cáo của mỗi lần gửi', 'the period each digest covers'))
        .choices([...SCHEDULE_PERIODS])
        .default('ytd'),
    )
    .addOption(
      new Option(
        '--kind <kind>',
        ctx.describe(
          'báo cáo tiến độ, hoặc nhắc hằng ngày các việc cần làm quá hạn và hồ sơ quá hạn rà soát',
          'the digest, or daily reminders of overdue follow-ups and of records overdue for validation',
        ),
      )
        .choices([...SCHEDULE_KINDS])
        .default('digest'),
    )
    .option('--unit <code>', unitHelp)
    .addOption(new Option('--locale <locale>', localeHelp).choices(['vi', 'en']))
    .action(
      async (opts: {
        target: string;
        cron: string;
        tz?: string;
        period: SchedulePeriod;
        kind: ScheduleKind;
        unit?: string;
        locale?: Locale;
      }) => {
        const target = parseTarget(opts.target);
        if (!target)
          ctx.fail(
            text(`--target cần dạng ${targetForms('MÃ_KÊNH', 'hoặc')}.`, `--target needs the form ${targetForms('CHANNEL_ID', 'or')}.`),
          );
        await ctx.withDb(async ({ db }) => {
          const scope = await resolveDigestRequest(db, { scope: null, unitCode: opts.unit, today: dayIn(ctx.config.timeZone, new Date()) });
          if (!scope.ok) ctx.fail(scope.failure);
          const added = await addSchedule(db, {
            cron: opts.cron,
            timeZone: opts.tz ?? ctx.config.timeZone,
            platform: target.platform,
            channel: target.channel,
            unitId: scope.value.scopeUnitId,
            period: opts.period,
            locale: opts.locale ?? ctx.config.locale,
            createdByMemberId: null,
            kind: opts.kind,
          });
          if (!added.ok) ctx.fail(added.failure);
          ctx.print(scheduleLine(added.value, ctx.config.locale));
        });
      },
    );
  schedule
    .command('list')
    .description(ctx.describe('liệt kê các lịch gửi báo cáo', 'list the digest schedules'))
    .action(async () => {
      await ctx.withDb(async ({ db }) => {
        const rows = await listSchedules(db);
        for (const r of rows) ctx.print(scheduleLine(r, ctx.config.locale));
        if (rows.length === 0) ctx.print(ctx.say(text('Chưa có lịch gửi báo cáo nào.', 'No digest schedules yet.')));
      });
    });
  schedule
    .command('remove')
    .description(ctx.describe('xoá một lịch gửi báo cáo', 'remove a digest schedule'))
    .argument('<id>', ctx.describe('số của lịch, xem bằng `digest schedule list`', 'the schedule number, from `digest schedule list`'))
    .action(async (id: string) => {
      if (!/^\d{1,9}$/.test(id)) ctx.fail(text(`"${id}" không phải số lịch.`, `"${id}" is not a schedule number.`));
      await ctx.withDb(async ({ db }) => {
        if (!(await removeSchedule(db, Number(id)))) ctx.fail(text(`Không có lịch số ${id}.`, `There is no schedule ${id}.`));
        ctx.print(ctx.say(text(`Đã xoá lịch số ${id}.`, `Removed schedule ${id}.`)));
      });
    });

  digest
    .command('run-schedules')
    .description(
      ctx.describe(
        'chạy các việc định kỳ tại một thời điểm: đóng các cuộc họp còn bỏ ngỏ, gửi các báo cáo đến hạn, gửi các tin nhắn đang chờ',
        'run the scheduled jobs at an instant: close meetings left open, send the digests due, deliver what waits to be posted',
      ),
    )
    .option('--now <time>', ctx.describe('thời điểm (ISO 8601, mặc định: bây giờ)', 'the instant (ISO 8601, default: now)'))
    .action(async (opts: { now?: string }) => {
      const now = opts.now ? new Date(opts.now) : new Date();
      if (Number.isNaN(now.getTime()))
        ctx.fail(text(`--now: "${opts.now}" không phải thời điểm ISO 8601.`, `--now: "${opts.now}" is not an ISO 8601 time.`));
      await ctx.withDb(async (handle) => {
        const posters = await configuredPosters(ctx.config);
        const runner = configuredDigestRunner({ config: ctx.config, db: handle.db, posters, logger: ctx.logger });
        const closed = await runner.closeStaleMeetings(now);
        for (const id of closed)
          ctx.print(
            ctx.say(text(`Đã đóng cuộc họp #${id} do quá thời gian.`, `Closed meeting #${id}: it was left open past the time-out.`)),
          );
        const outcomes = await runner.runDue(now);
        for (const o of outcomes) ctx.print(`${o.key} ${ctx.say(DELIVERY_OUTCOME[o.outcome])}${o.error ? `: ${o.error}` : ''}`);
        const undelivered = await undeliveredByPlatform(handle.db, now);
        // Silence would leave the operator (or cron's mail) guessing whether anything ran.
        if (outcomes.length === 0 && closed.length === 0 && !undelivered.some((u) => u.waiting || u.givenUp)) {
          ctx.print(ctx.say(text(`Không có gì đến hạn lúc ${now.toISOString()}.`, `Nothing due at ${now.toISOString()}.`)));
        }
        for (const u of undelivered) {
          const name = platformLabel(u.platform);
          if (u.waiting && posters[u.platform]) {
            ctx.print(
              ctx.say(
                text(
                  `Còn ${u.waiting} tin nhắn chờ gửi lại lên ${name}.`,
                  `${plural('en', u.waiting, 'message waits', 'messages wait')} to be retried on ${name}.`,
                ),
              ),
            );
          } else if (u.waiting) {
            ctx.print(
              ctx.say(
                text(
                  `Còn ${u.waiting} tin nhắn chờ gửi lên ${name}; nơi này chưa cấu hình ${name} nên tin nhắn được giữ lại đến khi có tiến trình cấu hình ${name} chạy.`,
                  `${plural('en', u.waiting, 'message waits', 'messages wait')} for ${name}, which is not configured here: kept until an instance with ${name} runs.`,
                ),
              ),
            );
          }
          if (u.givenUp) {
            ctx.print(
              ctx.say(
                text(
                  `${u.givenUp} tin nhắn lên ${name} đã dừng gửi sau nhiều lần lỗi; lỗi cuối cùng được lưu ở cột last_error của bảng outbox.`,
                  `${plural('en', u.givenUp, `message for ${name} was`, `messages for ${name} were`)} given up after repeated failures; the last error is kept in the outbox table's last_error.`,
                ),
              ),
            );
          }
        }
        if (outcomes.some((o) => o.outcome !== 'delivered')) ctx.setExitCode(1);
      });
    });
}
