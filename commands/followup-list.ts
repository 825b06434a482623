import { defineCommand } from '../src/core/command.ts';
import { unitOption } from '../src/core/common-options.ts';
import { ok } from '../src/domain/result.ts';
import { text } from '../src/i18n/text.ts';
import { followUpLine } from '../src/presenters/follow-up.ts';
import { mayComplete } from '../src/services/follow-ups.ts';

const LIMIT = 25;

export default defineCommand({
  name: 'followup list',
  nameVi: 'danh-sách',
  description: text(
    'Xem việc cần làm: của tôi, quá hạn, tất cả, hoặc mọi việc của một hồ sơ hay đơn vị',
    'List follow-ups: mine, overdue, all, or every one of a case or a unit',
  ),
  minRole: 'officer',
  writes: false,
  options: [
    {
      name: 'filter',
      nameVi: 'lọc',
      labelVi: 'bộ lọc',
      type: 'choice',
      positional: true,
      choices: [
        { value: 'mine', label: text('của tôi', 'mine'), aliases: ['của tôi', 'cua-toi', 'toi'] },
        { value: 'overdue', label: text('quá hạn', 'overdue'), aliases: ['quá hạn', 'qua-han'] },
        { value: 'all', label: text('tất cả', 'all'), aliases: ['tất cả', 'tat-ca'] },
      ],
      description: text(
        'mine (mặc định), overdue hoặc all; với case: hay unit:, mặc định là mọi việc của hồ sơ, đơn vị đó',
        'mine (the default), overdue or all; with case: or unit:, every one of that case or unit by default',
      ),
    },
    {
      name: 'case',
      nameVi: 'hồ-sơ',
      labelVi: 'mã hồ sơ',
      type: 'string',
      maxLength: 40,
      placeholder: 'CODE',
      description: text('mọi việc của hồ sơ này', 'every follow-up on this case'),
    },
    unitOption(text('mọi việc của đơn vị này và cấp dưới', 'every follow-up of this unit and its sub-units')),
  ],
  async run(ctx) {
    const listed = await ctx.services.listFollowUps({
      scope: ctx.scope,
      member: ctx.member,
      filter: ctx.options.filter,
      caseCode: ctx.options.case,
      unitCode: ctx.options.unit,
      today: ctx.today,
      limit: LIMIT,
    });
    if (!listed.ok) return listed;
    const { rows, total } = listed.value;
    const l = ctx.locale;
    for (const row of rows) if (row.caseCode) ctx.touch(row.caseCode);
    if (rows.length === 0) {
      return ok({
        personal: false,
        blocks: [{ kind: 'text', text: text('Không có việc cần làm nào đang mở.', 'No open follow-ups.')(l) }],
      });
    }
    const blocks: Array<{ kind: 'list'; items: string[] } | { kind: 'text'; text: string; tone: 'muted' }> = [
      { kind: 'list', items: rows.map((r) => followUpLine(r, l, ctx.today)) },
    ];
    if (total > rows.length) {
      blocks.push({
        kind: 'text',
        tone: 'muted',
        text: text(`Còn ${total - rows.length} việc nữa.`, `${total - rows.length} more.`)(l),
      });
    }
    const closable = rows.filter((r) => mayComplete(r, ctx.member, ctx.scope)).slice(0, 5);
    return ok({
      // Tasks are free text written by members and may name people.
      personal: true,
      title: text(`Việc cần làm (${total})`, `Follow-ups (${total})`)(l),
      blocks,
      actions: closable.map((r) => ({
        label: text(`Xong #${r.id}`, `Done #${r.id}`)(l),
        style: 'primary' as const,
        command: 'followup done',
        options: { id: String(r.id) },
      })),
    });
  },
});
