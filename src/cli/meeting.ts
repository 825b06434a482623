import { Option, type Command } from 'commander';
import { text } from '../i18n/text.ts';
import type { CliContext } from './context.ts';

export function registerMeetingCommands(program: Command, ctx: CliContext): void {
  const meeting = program.command('meeting').description(ctx.describe('cuộc họp của ban chỉ đạo', 'committee meetings'));
  meeting
    .command('minutes')
    .description(ctx.describe('in biên bản một cuộc họp để lưu hồ sơ', "print a meeting's minutes, for the record"))
    .argument('<id>', ctx.describe('số cuộc họp', 'the meeting number'))
    .addOption(
      new Option('--format <format>', ctx.describe('định dạng đầu ra', 'output format'))
        .choices(['text', 'markdown', 'json'])
        .default('text'),
    )
    .action(async (id: string, opts: { format: 'text' | 'markdown' | 'json' }) => {
      if (!/^\d{1,9}$/.test(id)) ctx.fail(text(`"${id}" không phải số cuộc họp.`, `"${id}" is not a meeting number.`));
      await ctx.withDb(async ({ db }) => {
        // Loaded when the command runs, not to parse the command line.
        const { renderMarkdown, renderText } = await import('../adapters/console/render.ts');
        const { findMeeting } = await import('../repositories/meetings.ts');
        const { minutesMessage } = await import('../presenters/meeting.ts');
        const { minutesOf } = await import('../services/meetings.ts');
        const row = await findMeeting(db, Number(id));
        if (!row) ctx.fail(text(`Không có cuộc họp #${id}.`, `There is no meeting #${id}.`));
        const minutes = await minutesOf(db, row);
        if (opts.format === 'json') {
          ctx.print(JSON.stringify(minutes, null, 2));
          return;
        }
        const message = minutesMessage(minutes, ctx.config.locale, ctx.config.timeZone);
        if (opts.format === 'text') {
          ctx.print(renderText(message));
          return;
        }
        ctx.print(renderMarkdown(message));
      });
    });
}
