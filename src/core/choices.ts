import type { CaseStatus, Danger, MemberRole } from '../../db/schema/index.ts';
import { CASE_STATUSES, DANGER_WORDS, DANGERS, STATUS_WORDS } from '../domain/vocabulary.ts';
import { DANGER_LABEL, ROLE_LABEL, STATUS_LABEL } from '../i18n/labels.ts';
import { MEMBER_ROLES } from '../domain/roles.ts';
import { text } from '../i18n/text.ts';
import type { ChoiceSpec } from './options.ts';

/** Option choices shared by several commands, with the Vietnamese words they accept. */
export const STATUS_CHOICES: readonly ChoiceSpec<CaseStatus>[] = CASE_STATUSES.map((value: CaseStatus) => ({
  value,
  label: STATUS_LABEL[value],
  aliases: STATUS_WORDS[value],
}));

export const DANGER_CHOICES: readonly ChoiceSpec<Danger>[] = DANGERS.map((value: Danger) => ({
  value,
  label: DANGER_LABEL[value],
  aliases: DANGER_WORDS[value],
}));

/** The Vietnamese words for the roles, as they are typed: `chỉ huy`, `chi-huy`. */
const ROLE_WORDS: Record<MemberRole, readonly string[]> = {
  viewer: ['người xem', 'nguoi-xem', 'xem'],
  officer: ['cán bộ', 'can-bo'],
  lead: ['chỉ huy', 'chi-huy'],
  admin: ['quản trị viên', 'quan-tri-vien', 'quản trị', 'quan-tri'],
  auditor: ['giám sát viên', 'giam-sat-vien', 'giám sát', 'giam-sat'],
};

export const ROLE_CHOICES: readonly ChoiceSpec<MemberRole>[] = MEMBER_ROLES.map((value: MemberRole) => ({
  value,
  label: ROLE_LABEL[value],
  aliases: ROLE_WORDS[value],
}));

/** A yes-or-no option (`explain:yes`), with the Vietnamese words for each. */
export const YES_NO_CHOICES: readonly ChoiceSpec<'yes' | 'no'>[] = [
  { value: 'yes', label: text('có', 'yes'), aliases: ['có', 'co', 'y', '1'] },
  { value: 'no', label: text('không', 'no'), aliases: ['không', 'khong', 'n', '0'] },
];
