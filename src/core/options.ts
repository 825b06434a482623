import { parseIsoDate } from '../domain/dates.ts';
import { dateProblemText } from '../i18n/dates.ts';
import { cleanMultilineText, cleanText, findControlCharacter, foldKey } from '../domain/text.ts';
import { text, type Locale, type Text } from '../i18n/text.ts';
import { fail, ok, type Result } from '../domain/result.ts';
import type { Suggester } from './autocomplete.ts';
import type { InvocationInput } from './invocation.ts';

/**
 * One option of a command. The spec is the single source for text parsing (console, Slack),
 * validation, `help`, and Discord's typed options and autocomplete.
 *
 * Positional options are typed in order without a key (`case show TN-2020-000123`); the others are
 * written `name:value` (`status:wanted`, `due:2024-09-30`, `unit:"CA HN"`). A positional `text`
 * option takes the rest of the line.
 */
export interface OptionSpec {
  /** The English name: what `name:value`, Slack and Discord's interactions carry. */
  name: string;
  /**
   * The Vietnamese name Discord shows to members whose client is in Vietnamese: lowercase letters,
   * digits, `-` and `_`, 1 to 32 characters, unique within its command.
   */
  nameVi: string;
  /**
   * How a Vietnamese sentence names the option when {@link nameVi} is too short to say it (`mã hồ
   * sơ` for `code`, whose `nameVi` is `mã`): "Thiếu mã hồ sơ (code)". See {@link optionLabel}.
   */
  labelVi?: string;
  type: OptionType;
  description: Text;
  positional?: boolean;
  required?: boolean;
  /** In characters, after cleaning. Strings default to 200, texts to 2,000. */
  maxLength?: number;
  choices?: readonly ChoiceSpec[];
  /** Bounds of an integer; whatever they say, within {@link INTEGER_RANGE}. */
  min?: number;
  max?: number;
  /** What a platform with autocomplete (Discord) suggests while this option is typed. */
  suggest?: Suggester;
  /** Keep line breaks (notes). */
  multiline?: boolean;
  /** How the value is shown in the usage line, e.g. `code`, `YYYY-MM-DD`. */
  placeholder?: string;
  /**
   * A `file` option's types, as a platform's file picker offers them (Slack's form), e.g. `['jpg',
   * 'png']`. The picker only filters: the command still checks the file it reads.
   */
  fileTypes?: readonly string[];
  /**
   * An optional `file` option that the command needs when `option` is one of `values` (`case info
   * … photo`): a platform that cannot carry a file with a typed command (Slack) then asks for it in
   * a form, as it does for a required one.
   */
  neededWhen?: { option: string; values: readonly string[] };
}

/**
 * `file`: a file sent with the command (a Discord attachment, a file chosen in a Slack form, a path
 * on the console). The value is the platform's reference to it; the command opens it with
 * `ctx.openFile`.
 */
export type OptionType = 'string' | 'text' | 'integer' | 'date' | 'choice' | 'file';

export interface ChoiceSpec<V extends string = string> {
  value: V;
  label: Text;
  /** Other words accepted, compared without case or diacritics (`bắt`, `dau-thu`). */
  aliases?: readonly string[];
}

export type OptionValue = string | number;
/** Options as the core handles them, for any command: by name, unchecked. */
export type ParsedOptions = Record<string, OptionValue | undefined>;

/** The value one option takes once validated: a number, one of its choices, or a string. */
export type OptionValueOf<S extends OptionSpec> = S extends { type: 'integer' }
  ? number
  : S extends { type: 'choice'; choices: readonly ChoiceSpec<infer V>[] }
    ? V
    : string;

/**
 * The options a command's `run` receives, typed from its spec: each option by its name, required
 * ones always present, the others possibly undefined. A spec whose names are not known (the core's
 * view of any command) gives {@link ParsedOptions}.
 *
 * @example
 *   OptionsOf<readonly [{ name: 'id'; type: 'integer'; required: true; … }, { name: 'note'; type: 'text'; … }]>
 *   // { readonly id: number; readonly note: string | undefined }
 */
export type OptionsOf<O extends readonly OptionSpec[]> = readonly OptionSpec[] extends O
  ? ParsedOptions
  : { readonly [S in O[number] as S['name']]: S extends { required: true } ? OptionValueOf<S> : OptionValueOf<S> | undefined };

const DEFAULT_MAX = { string: 200, text: 2000, file: 1000 } as const;

interface Token {
  value: string;
  /** `name` when the token was written `name:value` with an unquoted name. */
  key?: string;
  keyValue?: string;
}

const OPEN_QUOTES = new Set(['"', '“', '”', '„']);
const CLOSE_QUOTES = new Set(['"', '”', '“']);

/**
 * Splits a line into words, keeping "quoted phrases" (straight or curly quotes) together and
 * recognising `name:value` words. Returns undefined for an unterminated quote.
 */
export function tokenize(line: string): Token[] | undefined {
  const tokens: Token[] = [];
  let current = '';
  let inToken = false;
  let quoted = false;
  let keyEnd = -1;
  const push = () => {
    if (!inToken) return;
    const token: Token = { value: current };
    if (keyEnd > 0) {
      token.key = current.slice(0, keyEnd).toLowerCase();
      token.keyValue = current.slice(keyEnd + 1);
    }
    tokens.push(token);
    current = '';
    inToken = false;
    keyEnd = -1;
  };
  for (const ch of line) {
    if (quoted) {
      if (CLOSE_QUOTES.has(ch)) quoted = false;
      else current += ch;
      continue;
    }
    if (OPEN_QUOTES.has(ch)) {
      quoted = true;
      inToken = true;
      continue;
    }
    if (/\s/u.test(ch)) {
      push();
      continue;
    }
    if (ch === ':' && keyEnd < 0 && /^[A-Za-z_]+$/.test(current)) keyEnd = current.length;
    current += ch;
    inToken = true;
  }
  if (quoted) return undefined;
  push();
  return tokens;
}

/** The usage line: `case status <code> <outcome> [on:YYYY-MM-DD] [reason…]`. */
export function usageLine(name: string, options: readonly OptionSpec[]): string {
  const parts = options.map((o) => {
    const shown =
      o.placeholder ?? (o.type === 'date' ? 'YYYY-MM-DD' : o.type === 'choice' ? o.choices!.map((c) => c.value).join('|') : o.name);
    const inner = o.positional ? (o.type === 'text' ? `${shown}…` : shown) : `${o.name}:${shown}`;
    return o.required ? `<${inner}>` : `[${inner}]`;
  });
  return [name, ...parts].join(' ');
}

const usageWord = text('Cách dùng', 'Usage');

const withUsage =
  (problem: Text, usage: string): Text =>
  (l) =>
    `${problem(l)}\n${usageWord(l)}: ${usage}`;

/**
 * How a message names an option: in Vietnamese its label with the name typed beside it (`mã hồ
 * sơ (code)`, `hạn (due)`), in English its name (`code`).
 */
export function optionLabel(spec: Pick<OptionSpec, 'name' | 'nameVi' | 'labelVi'>, locale: Locale): string {
  return locale === 'vi' ? `${spec.labelVi ?? spec.nameVi.replaceAll('-', ' ')} (${spec.name})` : spec.name;
}

/** {@link optionLabel} at the start of a sentence: capitalised in Vietnamese; the English name stays as typed. */
const OptionLabel = (spec: OptionSpec, locale: Locale): string => {
  const label = optionLabel(spec, locale);
  return locale === 'vi' ? label.charAt(0).toUpperCase() + label.slice(1) : label;
};

/**
 * Turns the words after a command's name into raw option values, by the command's spec.
 * Values are validated by {@link validateOptions} afterwards, as typed options are.
 */
export function parseTextOptions(commandName: string, rest: string, options: readonly OptionSpec[]): Result<Record<string, string>> {
  const usage = usageLine(commandName, options);
  const tokens = tokenize(rest);
  if (!tokens) return fail('invalid', withUsage(text('Thiếu dấu ngoặc kép đóng.', 'A quotation mark is not closed.'), usage));
  const keyed = new Map(options.filter((o) => !o.positional).map((o) => [o.name, o]));
  const positional = options.filter((o) => o.positional);
  const values: Record<string, string> = {};
  const words: string[] = [];
  for (const token of tokens) {
    const spec = token.key ? keyed.get(token.key) : undefined;
    if (spec && token.keyValue !== undefined) {
      if (values[spec.name] !== undefined) {
        return fail(
          'invalid',
          withUsage((l) => text(`${OptionLabel(spec, l)} được nhập hai lần.`, `Option ${spec.name}: is given twice.`)(l), usage),
        );
      }
      values[spec.name] = token.keyValue;
    } else {
      words.push(token.value);
    }
  }
  let i = 0;
  for (const spec of positional) {
    if (i >= words.length) break;
    if (spec.type === 'text') {
      values[spec.name] = words.slice(i).join(' ');
      i = words.length;
    } else if (spec.type === 'choice') {
      // Choices may be several words typed without quotes (`đầu thú`, `thanh loại`): take the
      // longest run of words that names a choice, else one word (validated later).
      const span = [3, 2].find((n) => i + n <= words.length && matchChoice(spec.choices ?? [], words.slice(i, i + n).join(' '))) ?? 1;
      values[spec.name] = words.slice(i, i + span).join(' ');
      i += span;
    } else {
      values[spec.name] = words[i]!;
      i += 1;
    }
  }
  if (i < words.length) {
    const extra = words.slice(i).join(' ');
    return fail('invalid', withUsage(text(`Thừa nội dung: "${extra}".`, `Unexpected words: "${extra}".`), usage));
  }
  return ok(values);
}

/**
 * Checks and converts raw option values (from text or a platform's typed options): required
 * options present, lengths within limits, integers plain decimal digits within range, dates real,
 * choices known. Texts are cleaned (NFC, invisible and bidi-control characters removed).
 */
export function validateOptions(
  commandName: string,
  raw: Record<string, string | number | boolean | undefined>,
  options: readonly OptionSpec[],
): Result<ParsedOptions> {
  const usage = usageLine(commandName, options);
  const parsed: ParsedOptions = {};
  const problem = (t: Text) => fail<ParsedOptions>('invalid', withUsage(t, usage));
  for (const spec of options) {
    const input = raw[spec.name];
    const str = input === undefined || input === null ? '' : String(input);
    const value = spec.type === 'text' && spec.multiline ? cleanMultilineText(str) : cleanText(str);
    if (value === '') {
      if (spec.required) {
        return problem(
          text(`Thiếu ${optionLabel(spec, 'vi')}: ${spec.description('vi')}.`, `Missing ${spec.name}: ${spec.description('en')}.`),
        );
      }
      continue;
    }
    switch (spec.type) {
      case 'string':
      case 'text':
      case 'file': {
        const max = spec.maxLength ?? DEFAULT_MAX[spec.type];
        const length = [...value].length;
        if (length > max) {
          return problem(
            text(
              `${OptionLabel(spec, 'vi')} dài ${length} ký tự, vượt giới hạn ${max} ký tự.`,
              `${spec.name} is ${length} characters long, over the limit of ${max}.`,
            ),
          );
        }
        parsed[spec.name] = value;
        break;
      }
      case 'integer': {
        const n = readInteger(input!, spec);
        if (n === undefined) return problem(integerProblem(spec, str));
        parsed[spec.name] = n;
        break;
      }
      case 'date': {
        const date = parseIsoDate(value);
        if (!date) return problem(dateProblemText((l) => OptionLabel(spec, l), value));
        parsed[spec.name] = date;
        break;
      }
      case 'choice': {
        const choice = matchChoice(spec.choices ?? [], value);
        if (!choice) {
          const list = (spec.choices ?? []).map((c) => c.value).join(', ');
          return problem(
            text(
              `${OptionLabel(spec, 'vi')} không nhận giá trị "${value}"; chọn một trong: ${list}.`,
              `${spec.name} does not accept "${value}"; choose one of: ${list}.`,
            ),
          );
        }
        parsed[spec.name] = choice.value;
        break;
      }
    }
  }
  return ok(parsed);
}

/** What Postgres's `integer` holds: ids are serials of that type, and no option needs more. */
export const INTEGER_RANGE = { min: -2147483648, max: 2147483647 } as const;

/** The range an integer option accepts: its own, within {@link INTEGER_RANGE}. */
export function integerRange(spec: OptionSpec): { min: number; max: number } {
  return {
    min: Math.max(spec.min ?? INTEGER_RANGE.min, INTEGER_RANGE.min),
    max: Math.min(spec.max ?? INTEGER_RANGE.max, INTEGER_RANGE.max),
  };
}

/**
 * An integer option's value, or undefined: a platform's typed whole number, or plain decimal
 * digits with an optional minus sign, exactly as typed (`Number` would also read `0x10`, `1e3`,
 * `+5`, ` 5` and `5.0`, each as some other follow-up than the one meant), within range.
 */
function readInteger(input: string | number | boolean, spec: OptionSpec): number | undefined {
  let n: number;
  if (typeof input === 'number') n = input;
  else if (typeof input === 'string' && /^-?[0-9]+$/.test(input)) n = Number(input);
  else return undefined;
  const { min, max } = integerRange(spec);
  return Number.isInteger(n) && n >= min && n <= max ? n : undefined;
}

function integerProblem(spec: OptionSpec, typed: string): Text {
  const { min, max } = integerRange(spec);
  const example = Math.min(max, Math.max(min, 12));
  const shown = JSON.stringify([...typed].length > 40 ? `${[...typed].slice(0, 40).join('')}…` : typed);
  return text(
    `${OptionLabel(spec, 'vi')} phải là số nguyên từ ${min} đến ${max}, chỉ gồm chữ số, ví dụ ${example}; ${shown} không hợp lệ.`,
    `${spec.name} must be a whole number from ${min} to ${max}, written with digits only, e.g. ${example}; ${shown} is not.`,
  );
}

/**
 * Refuses a request that holds a control character (see {@link findControlCharacter}): in the
 * line typed (console, Slack), or in any string of a platform's typed options (Discord). Checked
 * once, before the line is parsed, so that no command sees one.
 */
export function refuseControlCharacters(input: InvocationInput): Result<void> {
  if (input.kind === 'text') {
    const found = findControlCharacter(input.line);
    if (!found) return ok(undefined);
    return fail(
      'invalid',
      text(
        `Dòng lệnh có một ký tự điều khiển (${found.code}) ở vị trí ${found.position}; hãy gõ lại dòng lệnh.`,
        `The line contains a control character (${found.code}) at position ${found.position}; retype it.`,
      ),
    );
  }
  for (const [name, value] of Object.entries(input.options)) {
    const found = typeof value === 'string' ? findControlCharacter(value) : undefined;
    if (!found) continue;
    return fail(
      'invalid',
      text(
        `Tùy chọn ${name} có một ký tự điều khiển (${found.code}) ở vị trí ${found.position}; hãy gõ lại.`,
        `Option ${name} contains a control character (${found.code}) at position ${found.position}; retype it.`,
      ),
    );
  }
  return ok(undefined);
}

export function matchChoice(choices: readonly ChoiceSpec[], input: string): ChoiceSpec | undefined {
  const key = foldKey(input);
  return choices.find((c) => foldKey(c.value) === key || (c.aliases ?? []).some((a) => foldKey(a) === key));
}

/** The label of a choice in `locale`, or the raw value when unknown. */
export function choiceLabel(choices: readonly ChoiceSpec[], value: string, locale: Locale): string {
  return choices.find((c) => c.value === value)?.label(locale) ?? value;
}
