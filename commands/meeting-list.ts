import { defineCommand } from '../src/core/command.ts';
import { ok } from '../src/domain/result.ts';
import { formatDateTime, text } from '../src/i18n/text.ts';

export default defineCommand({
  name: 'meeting list',
  nameVi: 'danh-sách',
  description: text('Các cuộc họp gần đây trong phạm vi của bạn', 'Recent meetings within your units'),
  minRole: 'viewer',
  writes: false,
  options: [],
  async run(ctx) {
    const rows = await ctx.services.meetingsInUnits({ unitIds: ctx.scope.unitIds, limit: 20 });
    const l = ctx.locale;
    if (rows.length === 0)
      return ok({ personal: false, blocks: [{ kind: 'text', text: text('Chưa có cuộc họp nào.', 'No meetings yet.')(l) }] });
    const state = (r: (typeof rows)[number]) => (r.endedAt ? '' : text(' · đang họp', ' · open')(l));
    return ok({
      personal: false,
      title: text('Các cuộc họp', 'Meetings')(l),
      blocks: [
        {
          kind: 'list',
          items: rows.map(
            (r) => `#${r.id} · ${formatDateTime(l, new Date(r.startedAt), ctx.timeZone)} · ${r.unitCode} · ${r.title}${state(r)}`,
          ),
        },
      ],
    });
  },
});
