import { defineCommand } from '../src/core/command.ts';
import { unitOption } from '../src/core/common-options.ts';
import { ok } from '../src/domain/result.ts';
import { text } from '../src/i18n/text.ts';
import { dueValidationsMessage } from '../src/presenters/validations.ts';

/** Records on one page of the list. */
const PAGE_SIZE = 25;

export default defineCommand({
  name: 'validation due',
  nameVi: 'đến-hạn',
  description: text(
    'Hồ sơ truy nã quá hạn hoặc sắp đến hạn rà soát định kỳ, hạn sớm nhất trước',
    'Wanted records overdue or soon due for their periodic validation, earliest first',
  ),
  minRole: 'viewer',
  writes: false,
  options: [
    unitOption(text('chỉ hồ sơ của đơn vị này và cấp dưới', 'only the records of this unit and its sub-units')),
    {
      name: 'page',
      nameVi: 'trang',
      type: 'integer',
      min: 1,
      max: 10_000,
      placeholder: 'N',
      description: text('trang của danh sách (mặc định: 1)', 'the page of the list (default: 1)'),
    },
  ],
  async run(ctx) {
    const page = ctx.options.page ?? 1;
    const listed = await ctx.services.dueValidations({
      scope: ctx.scope,
      unitCode: ctx.options.unit,
      today: ctx.today,
      policy: ctx.validation,
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    });
    if (!listed.ok) return listed;
    ctx.touch(...listed.value.rows.map((r) => r.code));
    // Case codes, units and dates only, as other lists a channel may see.
    return ok(
      dueValidationsMessage(listed.value, ctx.locale, {
        windowDays: ctx.validation.windowDays,
        page,
        interactive: ctx.interactive,
      }),
    );
  },
});
