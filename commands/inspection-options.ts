import type { OptionSpec } from '../src/core/options.ts';
import { text } from '../src/i18n/text.ts';

/** The inspection a command is about, by its number. */
export const inspectionIdOption = {
  name: 'id',
  nameVi: 'số',
  labelVi: 'số cuộc kiểm tra',
  type: 'integer',
  positional: true,
  required: true,
  min: 1,
  placeholder: 'id',
  description: text('số của cuộc kiểm tra, ví dụ 3', 'the inspection number, e.g. 3'),
} as const satisfies OptionSpec;
