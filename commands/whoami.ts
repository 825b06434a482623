import { inArray } from 'drizzle-orm';
import { units } from '../db/schema/index.ts';
import { defineCommand } from '../src/core/command.ts';
import { ok } from '../src/core/result.ts';
import { text } from '../src/i18n/text.ts';
import { ROLE_LABEL } from '../src/i18n/labels.ts';

export default defineCommand({
  name: 'whoami',
  description: text('Cho biết vai trò, đơn vị và phạm vi của bạn', 'Tell you your role, unit and scope'),
  minRole: 'viewer',
  writes: false,
  options: [],
  async run(ctx) {
    const l = ctx.locale;
    const scopeUnits = await ctx.db
      .select({ id: units.id, code: units.code, name: units.name })
      .from(units)
      .where(inArray(units.id, ctx.scope.unitIds));
    const own = scopeUnits.find((u) => u.id === ctx.scope.unitId)!;
    const codes = scopeUnits.map((u) => u.code).sort();
    return ok({
      personal: false,
      blocks: [
        {
          kind: 'fields',
          fields: [
            { label: l === 'vi' ? 'Thành viên' : 'Member', value: `${ctx.member.displayName} (${ctx.member.handle})` },
            { label: l === 'vi' ? 'Vai trò' : 'Role', value: ROLE_LABEL[ctx.member.role](l) },
            { label: l === 'vi' ? 'Đơn vị' : 'Unit', value: `${own.code} (${own.name})` },
            { label: l === 'vi' ? 'Phạm vi' : 'Scope', value: codes.join(', ') },
            { label: l === 'vi' ? 'Ngôn ngữ' : 'Language', value: l === 'vi' ? 'Tiếng Việt' : 'English' },
          ],
        },
      ],
    });
  },
});
