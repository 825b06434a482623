import type { ViewOutput } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { commandForm, decodeFormContext, needsForm, prefill, submittedOptions } from '../../../src/adapters/slack/forms.ts';
import { commands } from '../../../commands/index.ts';
import { defineCommand } from '../../../src/core/command.ts';
import { validateOptions } from '../../../src/core/options.ts';
import { ok } from '../../../src/domain/result.ts';
import { text } from '../../../src/i18n/text.ts';
import { viewProblems } from '../../fakes/slack-api.ts';

/** A command with one option of each kind, a file among them. */
const everything = defineCommand({
  name: 'list import',
  nameVi: 'nhập',
  description: text('Nhập một danh sách', 'Import a list'),
  minRole: 'officer',
  writes: true,
  options: [
    { name: 'file', nameVi: 'tệp', type: 'file', positional: true, required: true, description: text('tệp', 'the file') },
    { name: 'count', nameVi: 'số', type: 'integer', min: 1, max: 50, description: text('số dòng', 'rows') },
    { name: 'on', nameVi: 'ngày', type: 'date', description: text('ngày', 'the day') },
    { name: 'unit', nameVi: 'đơn-vị', type: 'string', maxLength: 40, description: text('đơn vị', 'the unit') },
    { name: 'note', nameVi: 'ghi-chú', type: 'text', multiline: true, description: text('ghi chú', 'a note') },
    {
      name: 'kind',
      nameVi: 'loại',
      type: 'choice',
      choices: [
        { value: 'a', label: text('loại A', 'kind A') },
        { value: 'b', label: text('loại B', 'kind B'), aliases: ['bê'] },
      ],
      description: text('loại', 'the kind'),
    },
  ],
  run: async () => ok({ personal: false, blocks: [] }),
});
const context = { command: 'list import', channelId: 'C0CASES001', isPrivate: false, userId: 'U0MEMBER01' };

type Input = { type: string; block_id: string; optional: boolean; element: Record<string, unknown> };
const inputs = (blocks: unknown[]) => (blocks as Input[]).filter((b) => b.type === 'input');

describe('Slack forms for commands that need a file', () => {
  it('are asked for the commands with a required file option only', () => {
    expect(
      commands
        .all()
        .filter((c) => needsForm(c))
        .map((c) => c.name),
    ).toEqual(['case check']);
  });

  it('are asked for a command whose file the typed values call for: a photo of case info, not its marks', () => {
    const info = commands.get('case info')!;
    expect(needsForm(info, prefill(info, 'TN-2020-000001 ảnh', 'vi')!.values)).toBe(true);
    expect(needsForm(info, prefill(info, 'TN-2020-000001 marks sẹo ở tay', 'vi')!.values)).toBe(false);
    const form = commandForm({ command: info, prefill: prefill(info, 'TN-2020-000001 photo', 'en')!, context, locale: 'en' });
    expect(viewProblems(form)).toEqual([]);
    expect(inputs(form.blocks).find((b) => b.block_id === 'o:file')!.element).toMatchObject({
      type: 'file_input',
      filetypes: ['jpg', 'jpeg', 'png', 'webp'],
    });
  });

  it('show each kind of option as its own input, typed values filled in, within Slack’s limits for a modal', () => {
    const filled = prefill(everything, 'count:12 on:2026-01-31 unit:"CA HN" kind:bê', 'vi')!;
    expect(filled).toEqual({ values: { count: '12', on: '2026-01-31', unit: 'CA HN', kind: 'b' }, notes: [] });
    const form = commandForm({ command: everything, prefill: filled, context, locale: 'vi' });
    expect(viewProblems(form)).toEqual([]);
    expect(inputs(form.blocks).map((b) => [b.block_id, b.element.type, b.optional])).toEqual([
      ['o:file', 'file_input', false],
      ['o:count', 'number_input', true],
      ['o:on', 'datepicker', true],
      ['o:unit', 'plain_text_input', true],
      ['o:note', 'plain_text_input', true],
      ['o:kind', 'static_select', true],
    ]);
    const [, count, on, unit, note, kind] = inputs(form.blocks).map((b) => b.element);
    expect(count).toMatchObject({ is_decimal_allowed: false, min_value: '1', max_value: '50', initial_value: '12' });
    expect(on).toMatchObject({ initial_date: '2026-01-31' });
    expect(unit).toMatchObject({ max_length: 40, multiline: false, initial_value: 'CA HN' });
    expect(note).toMatchObject({ multiline: true });
    expect(kind).toMatchObject({ initial_option: { text: { type: 'plain_text', text: 'loại B' }, value: 'b' } });
    expect(decodeFormContext(form.private_metadata)).toEqual(context);
  });

  it('keep within a modal’s title, however long the command’s name', () => {
    const long = { ...everything, name: 'case check-against-everything' };
    const form = commandForm({ command: long, prefill: { values: {}, notes: [] }, context, locale: 'en' });
    expect(viewProblems(form)).toEqual([]);
    expect(form.title.text).toHaveLength(24);
  });

  it('read a submission back as the command’s typed options, which the core then checks', () => {
    const file = { id: 'F0ABC12345', name: 'ds.csv', size: 10 };
    const values = {
      'o:file': { value: { type: 'file_input', files: [file] } },
      'o:count': { value: { type: 'number_input', value: '7' } },
      'o:on': { value: { type: 'datepicker', selected_date: '2026-02-01' } },
      'o:unit': { value: { type: 'plain_text_input', value: null } },
      'o:kind': { value: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'loại A' }, value: 'a' } } },
      'o:elsewhere': { value: { type: 'plain_text_input', value: 'not an option' } },
    } as unknown as ViewOutput['state']['values'];
    const { options, files } = submittedOptions(everything, values);
    expect(options).toEqual({ file: 'F0ABC12345', count: '7', on: '2026-02-01', kind: 'a' });
    expect(files.get('F0ABC12345')).toBe(file);
    expect(validateOptions(everything.name, options, everything.options)).toEqual({
      ok: true,
      value: { file: 'F0ABC12345', count: 7, on: '2026-02-01', kind: 'a' },
    });
  });

  it('give up a line they cannot read, for the core to refuse with the usage', () => {
    expect(prefill(everything, 'unit:"CA HN', 'en')).toBeUndefined();
    expect(decodeFormContext('not json')).toBeUndefined();
    expect(decodeFormContext(JSON.stringify({ v: 2, c: 'x', ch: 'C', u: 'U' }))).toBeUndefined();
  });
});
