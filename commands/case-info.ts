import { defineCommand } from '../src/core/command.ts';
import { caseCodeOption, caseVersionOption } from '../src/core/common-options.ts';
import { fail, ok } from '../src/domain/result.ts';
import { text } from '../src/i18n/text.ts';
import { detailAddedMessage } from '../src/presenters/case-details.ts';
import type { InfoField } from '../src/services/cases.ts';

const FIELD_LABEL: Record<InfoField, [string, string]> = {
  photo: ['ảnh', 'photo'],
  marks: ['đặc điểm nhận dạng', 'identifying marks'],
  history: ['tiền án, tiền sự', 'criminal history'],
};

export default defineCommand({
  name: 'case info',
  nameVi: 'bổ-sung',
  description: text(
    'Bổ sung ảnh, đặc điểm nhận dạng hoặc tiền án tiền sự (độ đầy đủ hồ sơ)',
    'Record a photo, identifying marks or criminal history (record completeness)',
  ),
  minRole: 'officer',
  writes: true,
  options: [
    caseCodeOption,
    {
      name: 'field',
      nameVi: 'mục',
      labelVi: 'loại thông tin',
      type: 'choice',
      positional: true,
      required: true,
      choices: [
        { value: 'photo', label: text('ảnh', 'photo'), aliases: ['ảnh', 'anh'] },
        { value: 'marks', label: text('đặc điểm nhận dạng', 'identifying marks'), aliases: ['đặc điểm', 'dac-diem', 'nhan-dang'] },
        { value: 'history', label: text('tiền án, tiền sự', 'criminal history'), aliases: ['tiền án', 'tien-an', 'tien-su'] },
      ],
      description: text('loại thông tin: photo, marks, history', 'which information: photo, marks, history'),
    },
    {
      name: 'text',
      nameVi: 'nội-dung',
      type: 'text',
      positional: true,
      required: true,
      maxLength: 4000,
      multiline: true,
      description: text('nội dung (với ảnh: nơi lưu ảnh)', 'the information (for a photo: where it is filed)'),
    },
    caseVersionOption,
    {
      name: 'source',
      nameVi: 'nguồn',
      type: 'string',
      maxLength: 200,
      placeholder: 'SOURCE',
      description: text(
        'với đặc điểm, tiền án: nguồn, ví dụ số bản án hoặc tài liệu',
        'for marks or history: where it comes from, e.g. a judgment number or a document',
      ),
    },
    {
      name: 'on',
      nameVi: 'ngày',
      labelVi: 'ngày của nguồn',
      type: 'date',
      description: text(
        'với đặc điểm, tiền án: ngày của nguồn (ví dụ ngày bản án)',
        "for marks or history: the source's day (a judgment's date)",
      ),
    },
  ],
  async run(ctx) {
    const field = ctx.options.field;
    if (field === 'marks' || field === 'history') {
      const added = await ctx.services.addCaseDetail({
        scope: ctx.scope,
        actor: ctx.member,
        code: ctx.options.code,
        kind: field,
        text: ctx.options.text,
        source: ctx.options.source,
        on: ctx.options.on,
        expectedVersion: ctx.options.version,
        now: ctx.now,
        today: ctx.today,
      });
      if (!added.ok) return added;
      ctx.touch(added.value.row.code);
      ctx.noteAudit({ detail: added.value.detail.id });
      return ok(detailAddedMessage(added.value, ctx.locale));
    }
    if (ctx.options.source !== undefined || ctx.options.on !== undefined) {
      return fail(
        'invalid',
        text(
          'source: và on: chỉ dùng với đặc điểm nhận dạng (marks) hoặc tiền án, tiền sự (history). Hãy bỏ chúng khỏi lệnh bổ sung ảnh.',
          'source: and on: go with identifying marks (marks) or criminal history (history) only. Leave them out when recording a photo.',
        ),
      );
    }
    const updated = await ctx.services.addCaseInfo({
      scope: ctx.scope,
      actor: ctx.member,
      code: ctx.options.code,
      field,
      value: ctx.options.text,
      expectedVersion: ctx.options.version,
    });
    if (!updated.ok) return updated;
    ctx.touch(updated.value.code);
    const [vi, en] = FIELD_LABEL[field];
    return ok({
      personal: false,
      blocks: [
        {
          kind: 'text',
          tone: 'success',
          text: text(`Đã cập nhật ${vi} cho ${updated.value.code}.`, `Recorded the ${en} of ${updated.value.code}.`)(ctx.locale),
        },
      ],
    });
  },
});
