import { defineCommand } from '../src/core/command.ts';
import { ok } from '../src/domain/result.ts';
import { text } from '../src/i18n/text.ts';
import { ROLE_LABEL } from '../src/i18n/labels.ts';

export default defineCommand({
  name: 'whoami',
  nameVi: 'tài-khoản',
  description: text('Cho biết vai trò, đơn vị và phạm vi của bạn', 'Tell you your role, unit and scope'),
  minRole: 'viewer',
  openToAuditors: true,
  writes: false,
  options: [],
  async run(ctx) {
    const l = ctx.locale;
    const scopeUnits = await ctx.services.findUnitsByIds({ ids: ctx.scope.unitIds });
    const own = scopeUnits.find((u) => u.id === ctx.scope.unitId)!;
    const codes = scopeUnits.map((u) => u.code).sort();
    return ok({
      personal: false,
      blocks: [
        {
          kind: 'fields',
          fields: [
            { label: text('Thành viên', 'Member')(l), value: `${ctx.member.displayName} (${ctx.member.handle})` },
            { label: text('Vai trò', 'Role')(l), value: ROLE_LABEL[ctx.member.role](l) },
            { label: text('Đơn vị', 'Unit')(l), value: `${own.code} (${own.name})` },
            { label: text('Phạm vi', 'Scope')(l), value: codes.join(', ') },
            { label: text('Ngôn ngữ', 'Language')(l), value: text('Tiếng Việt', 'English')(l) },
          ],
        },
      ],
    });
  },
});
