import type { CaseStatus, Danger } from '../../db/schema/index.ts';
import { CASE_STATUSES, DANGER_WORDS, DANGERS, STATUS_WORDS } from '../domain/vocabulary.ts';
import { DANGER_LABEL, STATUS_LABEL } from '../i18n/labels.ts';
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
