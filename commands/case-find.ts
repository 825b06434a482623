import { defineCommand } from '../src/core/command.ts';
import { unitOption } from '../src/core/common-options.ts';
import { DANGER_CHOICES, STATUS_CHOICES } from '../src/core/choices.ts';
import { fail, ok } from '../src/core/result.ts';
import type { CaseStatus, Danger } from '../db/schema/index.ts';
import { text } from '../src/i18n/text.ts';
import { caseHitCodeLine, caseHitLine } from '../src/presenters/case.ts';
import { findCases } from '../src/services/cases.ts';
import { suggestCases } from '../src/services/case-suggestions.ts';

export default defineCommand({
  name: 'case find',
  description: text(
    'Tìm hồ sơ theo mã, số định danh, họ tên hoặc tên gọi khác (không cần dấu)',
    'Find cases by code, national ID, name or alias (diacritics optional)',
  ),
  minRole: 'viewer',
  writes: false,
  options: [
    {
      name: 'text',
      type: 'text',
      positional: true,
      required: true,
      maxLength: 200,
      suggest: suggestCases,
      placeholder: 'text',
      description: text('mã hồ sơ, số định danh, họ tên hoặc tên gọi khác', 'a case code, national ID, name or alias'),
    },
    {
      name: 'status',
      type: 'choice',
      choices: STATUS_CHOICES,
      description: text('chỉ hồ sơ có trạng thái này', 'only cases with this status'),
    },
    unitOption(text('chỉ hồ sơ của đơn vị này và cấp dưới', 'only cases of this unit and its sub-units')),
    {
      name: 'danger',
      type: 'choice',
      choices: DANGER_CHOICES,
      description: text('chỉ hồ sơ có mức độ nguy hiểm này', 'only cases of this danger level'),
    },
  ],
  async run(ctx) {
    const query = String(ctx.options.text);
    const found = await findCases(ctx.db, ctx.scope, {
      text: query,
      status: ctx.options.status as CaseStatus | undefined,
      danger: ctx.options.danger as Danger | undefined,
      unitCode: ctx.options.unit as string | undefined,
    });
    if (!found.ok) return found;
    const { hits, suggestions } = found.value;
    if (hits.length === 0) {
      return fail('not_found', (l) => {
        const none = l === 'vi' ? `Không tìm thấy hồ sơ nào khớp với "${query}".` : `No case matches "${query}".`;
        if (suggestions.length === 0) return none;
        return `${none} ${l === 'vi' ? 'Có phải bạn muốn tìm' : 'Did you mean'}: ${suggestions.join(', ')}?`;
      });
    }
    ctx.touch(...hits.map((h) => h.code));
    const l = ctx.locale;
    const title = l === 'vi' ? `Kết quả cho "${query}" (${hits.length})` : `Results for "${query}" (${hits.length})`;
    if (!ctx.canReplyPrivately) {
      return ok({
        personal: false,
        title,
        blocks: [
          { kind: 'list', items: hits.map((h) => caseHitCodeLine(h, l)) },
          {
            kind: 'text',
            tone: 'muted',
            text:
              l === 'vi' ? 'Họ tên được ẩn vì câu trả lời ở đây không riêng tư.' : 'Names are hidden because this answer is not private.',
          },
        ],
      });
    }
    return ok({ personal: true, title, blocks: [{ kind: 'list', items: hits.map((h) => caseHitLine(h, l)) }] });
  },
});
