import { defineCommand } from '../src/core/command.ts';
import { unitOption } from '../src/core/common-options.ts';
import { DANGER_CHOICES, STATUS_CHOICES, YES_NO_CHOICES } from '../src/core/choices.ts';
import { fail, ok } from '../src/domain/result.ts';
import { text } from '../src/i18n/text.ts';
import { caseHitCodeLine, caseHitExplanation, caseHitLine } from '../src/presenters/case.ts';
import { hasRole } from '../src/domain/roles.ts';
import { suggestCases } from '../src/core/case-suggestions.ts';

export default defineCommand({
  name: 'case find',
  nameVi: 'tìm',
  description: text(
    'Tìm hồ sơ theo mã, số định danh, họ tên hoặc tên gọi khác (không cần dấu)',
    'Find cases by code, national ID, name or alias (diacritics optional)',
  ),
  minRole: 'viewer',
  writes: false,
  options: [
    {
      name: 'text',
      nameVi: 'nội-dung',
      labelVi: 'nội dung tìm kiếm',
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
      nameVi: 'trạng-thái',
      type: 'choice',
      choices: STATUS_CHOICES,
      description: text('chỉ hồ sơ có trạng thái này', 'only cases with this status'),
    },
    unitOption(text('chỉ hồ sơ của đơn vị này và cấp dưới', 'only cases of this unit and its sub-units')),
    {
      name: 'danger',
      nameVi: 'mức-nguy-hiểm',
      type: 'choice',
      choices: DANGER_CHOICES,
      description: text('chỉ hồ sơ có mức độ nguy hiểm này', 'only cases of this danger level'),
    },
    {
      name: 'explain',
      nameVi: 'giải-thích',
      type: 'choice',
      choices: YES_NO_CHOICES,
      description: text(
        'vì sao mỗi kết quả khớp: từ nào, sai mấy chữ (chỉ huy, quản trị)',
        'why each result matched: which words, which edits (leads, admins)',
      ),
    },
  ],
  async run(ctx) {
    const query = ctx.options.text;
    const explain = ctx.options.explain === 'yes';
    if (explain && !hasRole(ctx.member.role, 'lead')) {
      return fail(
        'denied',
        text(
          'Chỉ chỉ huy và quản trị viên xem được giải thích kết quả tìm kiếm. Hãy tìm lại không kèm explain:yes.',
          'Only leads and admins may see why results matched. Search again without explain:yes.',
        ),
      );
    }
    const found = await ctx.services.findCases(ctx.scope, {
      text: query,
      status: ctx.options.status,
      danger: ctx.options.danger,
      unitCode: ctx.options.unit,
    });
    if (!found.ok) return found;
    const { hits, suggestions } = found.value;
    if (hits.length === 0) {
      const none = text(`Không tìm thấy hồ sơ nào khớp với "${query}".`, `No case matches "${query}".`);
      if (suggestions.length === 0) return fail('not_found', none);
      const list = suggestions.join(', ');
      return fail('not_found', text(`${none('vi')} Có phải bạn muốn tìm: ${list}?`, `${none('en')} Did you mean: ${list}?`));
    }
    ctx.touch(...hits.map((h) => h.code));
    const l = ctx.locale;
    const title = text(`Kết quả cho "${query}" (${hits.length})`, `Results for "${query}" (${hits.length})`)(l);
    if (!ctx.canReplyPrivately) {
      return ok({
        personal: false,
        title,
        blocks: [
          { kind: 'list', items: hits.map((h) => caseHitCodeLine(h, l)) },
          {
            kind: 'text',
            tone: 'muted',
            text: explain
              ? text(
                  'Họ tên và phần giải thích được ẩn vì câu trả lời ở đây không riêng tư: hãy tìm trong tin nhắn riêng.',
                  'Names and the explanation are hidden because this answer is not private: search in a direct message.',
                )(l)
              : text('Họ tên được ẩn vì câu trả lời ở đây không riêng tư.', 'Names are hidden because this answer is not private.')(l),
          },
        ],
      });
    }
    const line = (h: (typeof hits)[number]) => (explain ? `${caseHitLine(h, l)} — ${caseHitExplanation(h, l)}` : caseHitLine(h, l));
    return ok({ personal: true, title, blocks: [{ kind: 'list', items: hits.map(line) }] });
  },
});
