import { defineCommand } from '../src/core/command.ts';
import { caseCodeOption, caseVersionOption } from '../src/core/common-options.ts';
import { ok } from '../src/domain/result.ts';
import { text } from '../src/i18n/text.ts';
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
  ],
  async run(ctx) {
    const field = ctx.options.field;
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
