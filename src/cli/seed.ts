import type { Command } from 'commander';
import type { CaseStatus } from '../../db/schema/index.ts';
import { ROLE_LABEL, STATUS_LABEL } from '../i18n/labels.ts';
import { formatNumber, text } from '../i18n/text.ts';
import { table, type CliContext } from './context.ts';

export function registerSeedCommand(program: Command, ctx: CliContext): void {
  program
    .command('seed')
    .description(
      ctx.describe(
        'nạp dữ liệu giả lập vào cơ sở dữ liệu trống để dùng thử casedesk',
        'fill an empty database with synthetic data to try casedesk with',
      ),
    )
    .requiredOption(
      '--demo',
      ctx.describe(
        'dữ liệu mẫu giả lập: đơn vị, thành viên, hồ sơ, việc cần làm (không có người thật)',
        'synthetic demo data: units, members, cases, follow-ups (no real person)',
      ),
    )
    .option('--cases <n>', ctx.describe('số hồ sơ', 'how many cases'), '3000')
    .option(
      '--seed <n>',
      ctx.describe('hạt giống ngẫu nhiên: cùng hạt giống cho cùng dữ liệu', 'random seed: the same seed gives the same data'),
      '327',
    )
    .action(async (opts: { cases: string; seed: string }) => {
      const casesWanted = Number(opts.cases);
      const seed = Number(opts.seed);
      if (!Number.isInteger(casesWanted) || casesWanted < 2 || casesWanted > 2_000_000) {
        ctx.fail(text('--cases phải là số nguyên từ 2 đến 2.000.000.', '--cases must be a whole number from 2 to 2,000,000.'));
      }
      if (!Number.isInteger(seed)) ctx.fail(text('--seed phải là số nguyên.', '--seed must be a whole number.'));
      await ctx.withDb(async ({ db }) => {
        // Loaded when the command runs, not to parse the command line.
        const { DEMO_MEMBERS, DEMO_UNITS, seedDemo } = await import('../services/demo-seed.ts');
        const result = await seedDemo(db, { cases: casesWanted, seed, now: new Date(), timeZone: ctx.config.timeZone });
        if (!result.ok) ctx.fail(result.failure);
        const s = result.value;
        const l = ctx.config.locale;
        const n = (x: number) => formatNumber(l, x);
        const statuses = (['wanted', 'arrested', 'surrendered', 'cleared', 'cancelled'] as CaseStatus[])
          .map((k) => `${STATUS_LABEL[k](l)} ${n(s.byStatus[k] ?? 0)}`)
          .join(', ');
        ctx.print(
          ctx.say(
            text(
              `Đã nạp dữ liệu mẫu: ${n(s.units)} đơn vị, ${n(s.members)} thành viên, ${n(s.cases)} hồ sơ (${statuses}), việc cần làm: ${n(s.followUps.open)} đang mở (${n(s.followUps.overdue)} quá hạn), ${n(s.followUps.done)} đã xong.`,
              `Demo data loaded: ${n(s.units)} units, ${n(s.members)} members, ${n(s.cases)} cases (${statuses}), follow-ups: ${n(s.followUps.open)} open (${n(s.followUps.overdue)} overdue), ${n(s.followUps.done)} done.`,
            ),
          ),
        );
        if (s.adoptedRoot !== undefined) {
          const root = DEMO_UNITS.find((u) => u.parent === null)!;
          ctx.print(
            ctx.say(
              text(
                `Đơn vị gốc ${s.adoptedRoot} (của quản trị viên cục bộ) đã trở thành đơn vị gốc ${root.code} (${root.name}) của dữ liệu mẫu, giữ nguyên thành viên: quản trị viên cục bộ thấy toàn bộ dữ liệu mẫu, và báo cáo toàn lực lượng chia theo các tỉnh, thành.`,
                `The root unit ${s.adoptedRoot} (the local administrator's) became the demo's root ${root.code} (${root.name}), with its members: the local administrator sees the whole demo, and the whole force's digest breaks down by province.`,
              ),
            ),
          );
        }
        ctx.print();
        ctx.print(ctx.say(text('Thử với các thành viên:', 'Try it as one of these members:')));
        const header = l === 'vi' ? ['TÊN ĐĂNG NHẬP', 'VAI TRÒ', 'ĐƠN VỊ'] : ['HANDLE', 'ROLE', 'UNIT'];
        ctx.print(
          table(
            header,
            DEMO_MEMBERS.map((m) => [m.handle, ROLE_LABEL[m.role](l), m.unit]),
          ),
        );
        ctx.print();
        ctx.print(
          ctx.say(
            text(
              'Ví dụ: npx casedesk exec --as lead.hn "case find nguyen van duc"',
              'For example: npx casedesk exec --as lead.hn "case find nguyen van duc"',
            ),
          ),
        );
      });
    });
}
