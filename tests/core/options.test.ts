import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import {
  optionLabel,
  parseTextOptions,
  refuseControlCharacters,
  tokenize,
  usageLine,
  validateOptions,
  type OptionSpec,
} from '../../src/core/options.ts';
import { STATUS_CHOICES } from '../../src/core/choices.ts';
import { text } from '../../src/i18n/text.ts';

const d = text('x', 'x');
const spec: OptionSpec[] = [
  { name: 'code', nameVi: 'mã', type: 'string', positional: true, required: true, description: d },
  { name: 'outcome', nameVi: 'kết-quả', type: 'choice', positional: true, required: true, choices: STATUS_CHOICES, description: d },
  { name: 'reason', nameVi: 'lý-do', type: 'text', positional: true, description: d },
  { name: 'on', nameVi: 'ngày', type: 'date', description: d },
  { name: 'version', nameVi: 'phiên-bản', type: 'integer', min: 1, description: d },
];

describe('text options', () => {
  it('splits words, keeps quoted phrases, and reads name:value anywhere', () => {
    expect(parseTextOptions('case status', 'TN-1 "đầu thú" on:2024-01-02 tại "nhà riêng"  số 5', spec)).toEqual({
      ok: true,
      value: { code: 'TN-1', outcome: 'đầu thú', on: '2024-01-02', reason: 'tại nhà riêng số 5' },
    });
  });

  it('accepts curly quotes, as phones and Slack type them', () => {
    expect(tokenize('“Nguyễn Văn” Đức')!.map((t) => t.value)).toEqual(['Nguyễn Văn', 'Đức']);
  });

  it('keeps a quoted value of a named option together', () => {
    expect(tokenize('unit:"CA HN" x')).toEqual([{ value: 'unit:CA HN', key: 'unit', keyValue: 'CA HN' }, { value: 'x' }]);
  });

  it('leaves words with unknown names, such as links, in the text', () => {
    const parsed = parseTextOptions('case status', 'TN-1 arrested see https://example.org/a', spec);
    expect(parsed).toMatchObject({ ok: true, value: { reason: 'see https://example.org/a' } });
  });

  it('refuses an unclosed quote, an option given twice, and extra words, each with the usage line', () => {
    for (const line of ['TN-1 "arrested', 'TN-1 arrested on:2024-01-01 on:2024-01-02']) {
      const parsed = parseTextOptions('case status', line, spec);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok)
        expect(parsed.failure.text('en')).toContain(
          'Usage: case status <code> <wanted|arrested|surrendered|cleared|cancelled> [reason…] [on:YYYY-MM-DD] [version:version]',
        );
    }
    const noRest: OptionSpec[] = [{ name: 'code', nameVi: 'mã', type: 'string', positional: true, description: d }];
    const extra = parseTextOptions('case show', 'TN-1 TN-2', noRest);
    expect(extra.ok).toBe(false);
    if (!extra.ok) expect(extra.failure.text('en')).toContain('Unexpected words: "TN-2"');
  });
});

describe('control characters', () => {
  it('refuses a line holding a C0 or C1 control character or DEL, naming its position', () => {
    for (const [line, code, position] of [
      ['case note TN-1 a\u0000b', 'U+0000', 17],
      ['case find \u001Bx', 'U+001B', 11],
      ['case find ab\u007F', 'U+007F', 13],
      ['case find \u0085ab', 'U+0085', 11],
      ['case find a\u000Bb', 'U+000B', 12],
      ['case find a\u000Cb', 'U+000C', 12],
      ['đầu\u0008', 'U+0008', 4],
    ] as const) {
      const refused = refuseControlCharacters({ kind: 'text', line });
      expect(refused.ok, line).toBe(false);
      if (!refused.ok) {
        expect(refused.failure.code).toBe('invalid');
        expect(refused.failure.text('en')).toBe(`The line contains a control character (${code}) at position ${position}; retype it.`);
        expect(refused.failure.text('vi')).toBe(`Dòng lệnh có một ký tự điều khiển (${code}) ở vị trí ${position}; hãy gõ lại dòng lệnh.`);
      }
    }
  });

  it('lets tabs and line breaks through, as notes have them', () => {
    expect(refuseControlCharacters({ kind: 'text', line: 'case note TN-1 dòng một\r\n\tdòng hai\nba' })).toEqual({
      ok: true,
      value: undefined,
    });
  });

  it("refuses a control character in a platform's typed options, naming the option", () => {
    const refused = refuseControlCharacters({ kind: 'options', command: 'case note', options: { code: 'TN-1', text: 'a\u0000b', n: 3 } });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.failure.text('en')).toBe('Option text contains a control character (U+0000) at position 2; retype it.');
    expect(refuseControlCharacters({ kind: 'options', command: 'case note', options: { code: 'TN-1', text: 'a\nb', n: 3 } }).ok).toBe(true);
  });
});

describe('validation', () => {
  it('cleans text: NFC, no zero-width or bidi-control characters', () => {
    const parsed = validateOptions('x', { code: 'TN-1', outcome: 'arrested', reason: 'Nguye\u0302\u0303n\u200B \u202Eabc' }, spec);
    expect(parsed).toMatchObject({ ok: true, value: { reason: 'Nguyễn abc' } });
  });

  it('refuses a missing required option, naming it in both languages', () => {
    const parsed = validateOptions('x', { code: 'TN-1' }, spec);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.failure.text('en')).toContain('Missing outcome');
      // In Vietnamese, by its Vietnamese name, with the name typed beside it.
      expect(parsed.failure.text('vi')).toContain('Thiếu kết quả (outcome): x.');
    }
  });

  it('names an option in Vietnamese by its label where it has one, its Vietnamese name otherwise', () => {
    const labelled: OptionSpec[] = [
      { ...spec[0]!, labelVi: 'mã hồ sơ' },
      { ...spec[4]!, required: true },
    ];
    const missing = validateOptions('case show', {}, labelled);
    expect(!missing.ok && missing.failure.text('vi')).toContain('Thiếu mã hồ sơ (code): x.');
    const version = validateOptions('case show', { code: 'TN-1', version: 'x' }, labelled);
    expect(!version.ok && version.failure.text('vi')).toContain('Phiên bản (version) phải là số nguyên từ 1 đến');
    const choice = validateOptions('x', { code: 'a', outcome: 'nope' }, spec);
    expect(!choice.ok && choice.failure.text('vi')).toContain('Kết quả (outcome) không nhận giá trị "nope"');
    const twice = parseTextOptions('x', 'TN-1 on:2024-01-01 on:2024-01-02', spec);
    expect(!twice.ok && twice.failure.text('vi')).toContain('Ngày (on) được nhập hai lần.');
    expect(!twice.ok && twice.failure.text('en')).toContain('Option on: is given twice.');
    const long = validateOptions('x', { code: 'a'.repeat(201), outcome: 'bat' }, spec);
    expect(!long.ok && long.failure.text('vi')).toContain('Mã (code) dài 201 ký tự, vượt giới hạn 200 ký tự.');
  });

  it('gives every option of every command a Vietnamese name that reads in a sentence', () => {
    for (const command of commands.all()) {
      for (const option of command.options) {
        const label = optionLabel(option, 'vi');
        expect(label, `${command.name} ${option.name}`).toMatch(new RegExp(`^\\p{Ll}[\\p{L} ]* \\(${option.name}\\)$`, 'u'));
      }
    }
    expect(optionLabel(commands.get('case show')!.options[0]!, 'vi')).toBe('mã hồ sơ (code)');
    expect(optionLabel(commands.get('followup done')!.options[0]!, 'vi')).toBe('số hiệu việc (id)');
    expect(
      optionLabel(
        commands.get('followup add')!.options.find((o) => o.name === 'due')!,
        'vi',
      ),
    ).toBe('hạn (due)');
  });

  it('says a date that does not exist is not a real one, and how the month runs', () => {
    const feb = validateOptions('x', { code: 'a', outcome: 'bat', on: '2026-02-30' }, spec);
    expect(!feb.ok && feb.failure.text('en')).toContain('on: 2026-02-30 is not a real date (February 2026 has 28 days).');
    expect(!feb.ok && feb.failure.text('vi')).toContain('Ngày (on): ngày 2026-02-30 không tồn tại (tháng 2/2026 có 28 ngày).');
    const month = validateOptions('x', { code: 'a', outcome: 'bat', on: '2026-13-01' }, spec);
    expect(!month.ok && month.failure.text('en')).toContain('2026-13-01 is not a real date (there is no month 13).');
    const dmy = validateOptions('x', { code: 'a', outcome: 'bat', on: '31/08/2024' }, spec);
    expect(!dmy.ok && dmy.failure.text('en')).toContain('on: write the date as YYYY-MM-DD, e.g. 2024-08-31 for 31/08/2024.');
    const words = validateOptions('x', { code: 'a', outcome: 'bat', on: 'yesterday' }, spec);
    expect(!words.ok && words.failure.text('en')).toContain('on: "yesterday" is not a date; write it as YYYY-MM-DD');
  });

  it('refuses a number out of range', () => {
    expect(validateOptions('x', { code: 'a', outcome: 'arrested', version: '0' }, spec).ok).toBe(false);
    expect(validateOptions('x', { code: 'a', outcome: 'arrested', version: '2.5' }, spec).ok).toBe(false);
    expect(validateOptions('x', { code: 'a', outcome: 'arrested', version: 3 }, spec)).toMatchObject({ ok: true, value: { version: 3 } });
  });

  it('reads integers only as plain decimal digits within range, however Number would read them', () => {
    const id: OptionSpec[] = [{ name: 'id', nameVi: 'số', type: 'integer', positional: true, required: true, min: 1, description: d }];
    for (const typed of [
      '0x10',
      '1e3',
      '+5',
      ' 5',
      '5 ',
      '5.0',
      '5,0',
      '٥',
      '５',
      '0b101',
      'Infinity',
      '2147483648',
      '12345678901234567890',
      '0',
      '-1',
    ]) {
      const parsed = validateOptions('followup done', { id: typed }, id);
      expect(parsed, typed).toMatchObject({ ok: false, failure: { code: 'invalid' } });
      if (!parsed.ok) {
        expect(parsed.failure.text('en')).toContain(
          `id must be a whole number from 1 to 2147483647, written with digits only, e.g. 12; ${JSON.stringify(typed)} is not.`,
        );
        expect(parsed.failure.text('vi')).toContain('Số (id) phải là số nguyên từ 1 đến 2147483647, chỉ gồm chữ số, ví dụ 12;');
        expect(parsed.failure.text('en')).toContain('Usage: followup done <id>');
      }
    }
    expect(validateOptions('followup done', { id: '2147483647' }, id)).toEqual({ ok: true, value: { id: 2147483647 } });
    expect(validateOptions('followup done', { id: '016' }, id)).toEqual({ ok: true, value: { id: 16 } });
    // Typed by a platform (Discord's integer options): a number, held to the same range.
    expect(validateOptions('followup done', { id: 16 }, id)).toEqual({ ok: true, value: { id: 16 } });
    for (const typed of [2147483648, 2.5, Number.NaN, 0])
      expect(validateOptions('followup done', { id: typed }, id).ok, String(typed)).toBe(false);
    // Without bounds of its own, an integer still fits Postgres's integer.
    const any: OptionSpec[] = [{ name: 'n', nameVi: 'n', type: 'integer', description: d }];
    expect(validateOptions('x', { n: '-2147483648' }, any)).toEqual({ ok: true, value: { n: -2147483648 } });
    expect(validateOptions('x', { n: '-2147483649' }, any).ok).toBe(false);
  });

  it('accepts 29 February only in leap years', () => {
    expect(validateOptions('x', { code: 'a', outcome: 'bat', on: '2024-02-29' }, spec)).toMatchObject({
      ok: true,
      value: { on: '2024-02-29', outcome: 'arrested' },
    });
    expect(validateOptions('x', { code: 'a', outcome: 'bat', on: '2023-02-29' }, spec).ok).toBe(false);
  });

  it('writes the usage line from the spec', () => {
    expect(usageLine('case status', spec)).toBe(
      'case status <code> <wanted|arrested|surrendered|cleared|cancelled> [reason…] [on:YYYY-MM-DD] [version:version]',
    );
  });
});
