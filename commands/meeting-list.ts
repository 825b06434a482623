import { defineCommand } from '../src/core/command.ts';
import { ok } from '../src/core/result.ts';
import { formatDateTime, text } from '../src/i18n/text.ts';
import { meetingsInUnits } from '../src/repositories/meetings.ts';

export default defineCommand({
  name: 'meeting list',
  description: text('Các cuộc họp gần đây trong phạm vi của bạn', 'Recent meetings within your units'),
  minRole: 'viewer',
  writes: false,
  options: [],
  async run(ctx) {
    const rows = await meetingsInUnits(ctx.db, { unitIds: ctx.scope.unitIds, limit: 20 });
    const l = ctx.locale;
    if (rows.length === 0)
      return ok({ personal: false, blocks: [{ kind: 'text', text: l === 'vi' ? 'Chưa có cuộc họp nào.' : 'No meetings yet.' }] });
    const state = (r: (typeof rows)[number]) => (r.endedAt ? '' : l === 'vi' ? ' · đang họp' : ' · open');
    return ok({
      personal: false,
      title: l === 'vi' ? 'Các cuộc họp' : 'Meetings',
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
