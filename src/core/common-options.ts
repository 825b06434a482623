import { text, type Text } from '../i18n/text.ts';
import type { OptionSpec } from './options.ts';
import { suggestCases } from './case-suggestions.ts';

/** The case-code argument most case and follow-up commands start with. */
export const caseCodeOption = {
  name: 'code',
  nameVi: 'mã',
  labelVi: 'mã hồ sơ',
  type: 'string',
  positional: true,
  required: true,
  maxLength: 40,
  suggest: suggestCases,
  description: text('mã hồ sơ, ví dụ TN-2020-000123', 'case code, e.g. TN-2020-000123'),
} as const satisfies OptionSpec;

/** `version:N`: the case version the user read, so a change made meanwhile is refused. */
export const caseVersionOption = {
  name: 'version',
  nameVi: 'phiên-bản',
  type: 'integer',
  min: 1,
  placeholder: 'N',
  description: text('phiên bản hồ sơ bạn đã xem', 'the case version you read'),
} as const satisfies OptionSpec;

/** `unit:CODE`: a unit by its code; `description` says what the command does with it. */
export function unitOption(description: Text) {
  return { name: 'unit', nameVi: 'đơn-vị', type: 'string', maxLength: 32, placeholder: 'CODE', description } as const satisfies OptionSpec;
}

/** The text of a note (on a case, in a meeting): the rest of the line, line breaks kept. */
export const noteTextOption = {
  name: 'text',
  nameVi: 'nội-dung',
  type: 'text',
  positional: true,
  required: true,
  maxLength: 2000,
  multiline: true,
  description: text('nội dung ghi chú', 'the note'),
} as const satisfies OptionSpec;

/** The member a command changes, by handle: `duc.nv`. */
export const memberHandleOption = {
  name: 'handle',
  nameVi: 'thành-viên',
  labelVi: 'tên đăng nhập',
  type: 'string',
  positional: true,
  required: true,
  maxLength: 32,
  placeholder: 'HANDLE',
  description: text('tên đăng nhập của thành viên, ví dụ duc.nv', "the member's handle, e.g. duc.nv"),
} as const satisfies OptionSpec;
