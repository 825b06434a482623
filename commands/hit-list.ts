import { defineCommand } from '../src/core/command.ts';
import { ok } from '../src/domain/result.ts';
import { text } from '../src/i18n/text.ts';
import { hitListLine } from '../src/presenters/checks.ts';

const LIMIT = 25;

export default defineCommand({
  name: 'hit list',
  nameVi: 'danh-sách',
  description: text(
    'Xem yêu cầu xác nhận kết quả đối chiếu: gửi đơn vị mình, hoặc từ các lần đối chiếu của mình',
    'List hit confirmation requests: sent to your units, or from your own checks',
  ),
  minRole: 'officer',
  writes: false,
  options: [
    {
      name: 'status',
      nameVi: 'trạng-thái',
      type: 'choice',
      positional: true,
      choices: [
        { value: 'open', label: text('chờ trả lời', 'awaiting an answer'), aliases: ['chờ', 'cho', 'mở', 'mo'] },
        { value: 'confirmed', label: text('đã xác nhận', 'confirmed'), aliases: ['xác nhận', 'xac-nhan'] },
        { value: 'rejected', label: text('đã bác bỏ', 'rejected'), aliases: ['bác bỏ', 'bac-bo'] },
        { value: 'all', label: text('tất cả', 'all'), aliases: ['tất cả', 'tat-ca'] },
      ],
      description: text('open (mặc định), confirmed, rejected hoặc all', 'open (default), confirmed, rejected or all'),
    },
  ],
  async run(ctx) {
    const status = ctx.options.status ?? 'open';
    const rows = await ctx.services.listHits({
      scope: ctx.scope,
      member: ctx.member,
      status: status === 'all' ? undefined : status,
      limit: LIMIT,
    });
    ctx.touch(...rows.map((r) => r.caseCode));
    const l = ctx.locale;
    if (rows.length === 0) {
      return ok({
        personal: false,
        blocks: [{ kind: 'text', text: text('Không có yêu cầu xác nhận nào.', 'No confirmation requests.')(l) }],
      });
    }
    return ok({
      personal: false,
      blocks: [
        { kind: 'list', items: rows.map((r) => hitListLine(r, { locale: l, timeZone: ctx.timeZone, now: ctx.now })) },
        ...(rows.length === LIMIT
          ? [{ kind: 'text' as const, tone: 'muted' as const, text: text(`${LIMIT} yêu cầu mới nhất.`, `The ${LIMIT} newest.`)(l) }]
          : []),
      ],
    });
  },
});
