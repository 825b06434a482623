import type { OptionSpec } from '../src/core/options.ts';
import { text } from '../src/i18n/text.ts';

/** The number of a confirmation request, as the messages asking for it show it (`#12`). */
export const hitIdOption = {
  name: 'id',
  nameVi: 'số',
  type: 'integer',
  positional: true,
  required: true,
  min: 1,
  placeholder: 'id',
  description: text('số yêu cầu xác nhận, ví dụ 12', 'the confirmation request number, e.g. 12'),
} as const satisfies OptionSpec;
