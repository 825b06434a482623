import { describe, expect, it } from 'vitest';
import { parseTextOptions, tokenize, usageLine, validateOptions, type OptionSpec } from '../../src/core/options.ts';
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
      expect(parsed.failure.text('vi')).toContain('Thiếu outcome');
    }
  });

  it('refuses a number out of range', () => {
    expect(validateOptions('x', { code: 'a', outcome: 'arrested', version: '0' }, spec).ok).toBe(false);
    expect(validateOptions('x', { code: 'a', outcome: 'arrested', version: '2.5' }, spec).ok).toBe(false);
    expect(validateOptions('x', { code: 'a', outcome: 'arrested', version: 3 }, spec)).toMatchObject({ ok: true, value: { version: 3 } });
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
