import type { types, UploadedFile, ViewOutput } from '@slack/bolt';
import type { CommandDefinition } from '../../core/command.ts';
import { clip } from '../../core/delivery.ts';
import { parseTextOptions, validateOptions, type OptionSpec } from '../../core/options.ts';
import { text, type Locale, type Text } from '../../i18n/text.ts';
import { plain } from './render.ts';

/*
 * A slash command cannot carry a file, so a command that needs one is asked for in a modal: the
 * command's options as inputs, what was typed already filled in, and a file input. Its submission
 * comes back as typed options, checked by the core like any other.
 */

/** The callback id of casedesk's forms, which the `view_submission` handler listens for. */
export const FORM_CALLBACK_ID = 'cd:form';

/** Slack's limits on a modal and its inputs (https://docs.slack.dev/reference/views/modal-views). */
export const FORM_LIMITS = {
  title: 24,
  button: 24,
  blocks: 100,
  privateMetadata: 3000,
  label: 2000,
  hint: 2000,
  sectionText: 3000,
  /** A static_select's options, and their text and value. */
  selectOptions: 100,
  optionText: 75,
  optionValue: 150,
  inputLength: 3000,
} as const;

/**
 * The file types a form's file input takes when its option names none (see
 * {@link OptionSpec.fileTypes}): `case check` reads CSV and xlsx. Slack only filters the picker by
 * them: the command still reads the file and says what is wrong with it.
 */
export const FORM_FILE_TYPES: readonly string[] = ['csv', 'xlsx'];

/** The most files one `file_input` takes here: a `file` option is one file. */
const FILES_PER_INPUT = 1;

/**
 * A command is asked for in a form when it needs a file, which a slash command cannot carry: a
 * required file, or one the typed `values` call for (see {@link OptionSpec.neededWhen}).
 */
export function needsForm(command: CommandDefinition, values: Record<string, string> = {}): boolean {
  return command.options.some((o) => {
    if (o.type !== 'file') return false;
    if (o.required === true) return true;
    const when = o.neededWhen;
    return when !== undefined && when.values.includes(values[when.option] ?? '');
  });
}

/** Where a form was asked for, kept in its `private_metadata` (a submission says only who submitted). */
export interface FormContext {
  command: string;
  channelId: string;
  isPrivate: boolean;
  userId: string;
}

export function encodeFormContext(context: FormContext): string {
  return JSON.stringify({ v: 1, c: context.command, ch: context.channelId, p: context.isPrivate ? 1 : 0, u: context.userId });
}

export function decodeFormContext(value: string | undefined): FormContext | undefined {
  try {
    const parsed = JSON.parse(value ?? '') as { v?: unknown; c?: unknown; ch?: unknown; p?: unknown; u?: unknown };
    if (parsed.v !== 1 || typeof parsed.c !== 'string' || typeof parsed.ch !== 'string' || typeof parsed.u !== 'string') return undefined;
    return { command: parsed.c, channelId: parsed.ch, isPrivate: parsed.p === 1, userId: parsed.u };
  } catch {
    return undefined;
  }
}

/** What was typed after the command's name that the form can show: values by option, and notes on the rest. */
export interface Prefill {
  values: Record<string, string>;
  notes: string[];
}

/**
 * The options typed with the slash command, as the form's initial values: each checked as the core
 * would check it, so that a choice shows as one of the select's options; one that does not pass is
 * left for the user to fill in, with a note saying why. Undefined when the line cannot be read at
 * all (an open quote, words too many): the dispatcher then refuses it with the usage, as today.
 */
export function prefill(command: CommandDefinition, rest: string, locale: Locale): Prefill | undefined {
  const raw = parseTextOptions(command.name, rest, command.options);
  if (!raw.ok) return undefined;
  const values: Record<string, string> = {};
  const notes: string[] = [];
  for (const spec of command.options) {
    const typed = raw.value[spec.name];
    if (typed === undefined) continue;
    if (spec.type === 'file') {
      notes.push(
        text(
          `Slack không gửi tệp kèm lệnh gõ, nên tên tệp "${typed}" không dùng được: hãy chọn tệp ở ô ${spec.nameVi} bên dưới.`,
          `Slack does not send a file with a typed command, so the name "${typed}" cannot be used: choose the file under ${spec.name} below.`,
        )(locale),
      );
      continue;
    }
    const checked = validateOptions(command.name, { [spec.name]: typed }, [{ ...spec, required: false }]);
    if (!checked.ok) {
      // The problem, without the usage line the core adds under it: the form is the usage here.
      notes.push(checked.failure.text(locale).split('\n')[0]!);
      continue;
    }
    const value = checked.value[spec.name];
    if (value !== undefined) values[spec.name] = String(value);
  }
  return { values, notes };
}

const FORM_TEXTS = {
  submit: text('Gửi', 'Submit'),
  close: text('Huỷ', 'Cancel'),
  choose: text('Chọn…', 'Choose…'),
  // Slack's file_input takes files up to 10 MB (https://docs.slack.dev/reference/block-kit/block-elements/file-input-element).
  fileLimit: text('Slack nhận tệp tối đa 10 MB qua hộp thoại.', 'Slack takes files of up to 10 MB in a form.'),
} satisfies Record<string, Text>;

const blockId = (spec: OptionSpec) => `o:${spec.name}`;
const ACTION_ID = 'value';

/**
 * The modal asking for `command`: its description, a note for each typed value that could not be
 * used, then one input per option in the spec's order (a file input for a `file` option, a select
 * for choices, a date picker, a number input, a text input), the typed values filled in.
 */
export function commandForm(input: {
  command: CommandDefinition;
  prefill: Prefill;
  context: FormContext;
  locale: Locale;
}): types.ModalView {
  const { command, locale } = input;
  const say = (t: Text) => clip(t(locale), FORM_LIMITS.button);
  const blocks: types.KnownBlock[] = [
    { type: 'section', text: plain(clip(command.description(locale), FORM_LIMITS.sectionText)) },
    ...input.prefill.notes.map((note): types.KnownBlock => ({
      type: 'context',
      elements: [plain(clip(`⚠ ${note}`, FORM_LIMITS.sectionText))],
    })),
    ...command.options.map((spec) => inputBlock(spec, input.prefill.values[spec.name], locale)),
  ];
  if (blocks.length > FORM_LIMITS.blocks) throw new Error(`${command.name}: too many options for a Slack form`);
  return {
    type: 'modal',
    callback_id: FORM_CALLBACK_ID,
    title: plain(clip(`/${command.name}`, FORM_LIMITS.title)),
    submit: plain(say(FORM_TEXTS.submit)),
    close: plain(say(FORM_TEXTS.close)),
    private_metadata: encodeFormContext(input.context),
    blocks,
  };
}

function inputBlock(spec: OptionSpec, initial: string | undefined, locale: Locale): types.InputBlock {
  const description = spec.description(locale);
  const hint = spec.type === 'file' ? `${description}. ${FORM_TEXTS.fileLimit(locale)}` : description;
  return {
    type: 'input',
    block_id: blockId(spec),
    label: plain(clip(locale === 'vi' ? spec.nameVi : spec.name, FORM_LIMITS.label)),
    hint: plain(clip(hint, FORM_LIMITS.hint)),
    optional: spec.required !== true,
    element: inputElement(spec, initial, locale),
  };
}

function inputElement(spec: OptionSpec, initial: string | undefined, locale: Locale): types.InputBlock['element'] {
  switch (spec.type) {
    case 'file':
      return { type: 'file_input', action_id: ACTION_ID, filetypes: [...(spec.fileTypes ?? FORM_FILE_TYPES)], max_files: FILES_PER_INPUT };
    case 'choice': {
      const choices = spec.choices ?? [];
      if (
        choices.length === 0 ||
        choices.length > FORM_LIMITS.selectOptions ||
        choices.some((c) => c.value.length > FORM_LIMITS.optionValue)
      )
        break;
      const options = choices.map((c) => ({ text: plain(clip(c.label(locale), FORM_LIMITS.optionText)), value: c.value }));
      const selected = options.find((o) => o.value === initial);
      return {
        type: 'static_select',
        action_id: ACTION_ID,
        placeholder: plain(FORM_TEXTS.choose(locale)),
        options,
        ...(selected ? { initial_option: selected } : {}),
      };
    }
    case 'integer':
      return {
        type: 'number_input',
        action_id: ACTION_ID,
        is_decimal_allowed: false,
        ...(spec.min !== undefined ? { min_value: String(spec.min) } : {}),
        ...(spec.max !== undefined ? { max_value: String(spec.max) } : {}),
        ...(initial !== undefined ? { initial_value: initial } : {}),
      };
    case 'date':
      return { type: 'datepicker', action_id: ACTION_ID, ...(initial !== undefined ? { initial_date: initial } : {}) };
    default:
      break;
  }
  // A string, a text, or choices too many for a select: typed, and checked by the core on submission.
  return {
    type: 'plain_text_input',
    action_id: ACTION_ID,
    multiline: spec.multiline === true,
    max_length: Math.min(spec.maxLength ?? FORM_LIMITS.inputLength, FORM_LIMITS.inputLength),
    ...(initial !== undefined ? { initial_value: initial } : {}),
  };
}

/**
 * A submitted form as the command's typed options (the core checks them as it checks a button's),
 * and the files chosen, by id: a `file` option's value is the id of the file Slack holds.
 */
export function submittedOptions(
  command: CommandDefinition,
  values: ViewOutput['state']['values'],
): { options: Record<string, string>; files: Map<string, UploadedFile> } {
  const options: Record<string, string> = {};
  const files = new Map<string, UploadedFile>();
  for (const spec of command.options) {
    const state = values[blockId(spec)]?.[ACTION_ID];
    if (!state) continue;
    if (spec.type === 'file') {
      const [file] = state.files ?? [];
      if (file) {
        options[spec.name] = file.id;
        files.set(file.id, file);
      }
      continue;
    }
    const value = state.selected_option?.value ?? state.selected_date ?? state.value;
    if (typeof value === 'string' && value !== '') options[spec.name] = value;
  }
  return { options, files };
}
