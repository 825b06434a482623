import { describe, expect, it } from 'vitest';
import {
  buttonCodec,
  chunk,
  clip,
  codePointLength,
  decodeButton,
  encodeButton,
  planDelivery,
  type ButtonPayload,
} from '../../src/core/delivery.ts';
import type { ReplyMessage } from '../../src/domain/reply.ts';

const personal: ReplyMessage = { personal: true, blocks: [{ kind: 'text', text: 'x' }] };
const forChannel: ReplyMessage = { personal: false, toChannel: true, blocks: [{ kind: 'text', text: 'x' }] };
const pages = (n: number) => Array.from({ length: n }, (_, i) => `p${i + 1}`);

describe('the delivery plan', () => {
  it('sends an answer of one page as one message', () => {
    expect(planDelivery(personal, ['p1'], { maxMessages: 5, cutNote: 'under' })).toEqual({ kind: 'single', page: 'p1' });
  });

  it('posts an answer meant for the channel there, unless there is no channel or it is personal', () => {
    expect(planDelivery(forChannel, pages(2), { maxMessages: 5, cutNote: 'under' })).toEqual({ kind: 'channel', pages: ['p1', 'p2'] });
    expect(planDelivery(forChannel, pages(1), { maxMessages: 5, cutNote: 'under', channel: false })).toEqual({
      kind: 'single',
      page: 'p1',
    });
    expect(planDelivery({ ...forChannel, personal: true }, pages(1), { maxMessages: 5, cutNote: 'under' }).kind).toBe('single');
  });

  it('pages a long answer to a read when every page has a button, showing the page asked for', () => {
    const paging = { page: 7, button: (n: number) => `b${n}` };
    expect(planDelivery(personal, pages(3), { paging, maxMessages: 5, cutNote: 'under' })).toEqual({
      kind: 'paged',
      page: 'p3',
      index: 2,
      count: 3,
      buttons: ['b0', 'b1', 'b2'],
    });
  });

  it('sends the pages one after the other when a button does not fit the platform', () => {
    const paging = { page: 0, button: (n: number) => (n === 1 ? undefined : `b${n}`) };
    expect(planDelivery(personal, pages(3), { paging, maxMessages: 5, cutNote: 'under' })).toEqual({ kind: 'sequence', pages: pages(3) });
  });

  it('cuts a sequence after the maximum, the note under the last page or in a message of its own', () => {
    expect(planDelivery(personal, pages(5), { maxMessages: 5, cutNote: 'under' })).toEqual({ kind: 'sequence', pages: pages(5) });
    expect(planDelivery(personal, pages(7), { maxMessages: 5, cutNote: 'under' })).toEqual({
      kind: 'sequence',
      pages: pages(5),
      cut: { shown: 5, total: 7, last: 'p7', note: 'under' },
    });
    expect(planDelivery(personal, pages(7), { maxMessages: 6, cutNote: 'after' })).toEqual({
      kind: 'sequence',
      pages: pages(5),
      cut: { shown: 5, total: 7, last: 'p7', note: 'after' },
    });
  });
});

describe('cutting text', () => {
  it('clips to a length as the platform counts it, never inside a surrogate pair', () => {
    expect(clip('abcdef', 6)).toBe('abcdef');
    expect(clip('abcdef', 4)).toBe('abc…');
    expect(clip('a😀b', 3)).toBe('a…');
    expect(clip('a😀bc', 3, codePointLength)).toBe('a😀…');
  });

  it('cuts at line breaks where it can, else between characters', () => {
    expect(chunk('ab\ncd\nef', 5)).toEqual(['ab\ncd', 'ef']);
    expect(chunk('abcdefg', 3)).toEqual(['abc', 'def', 'g']);
    expect(chunk('😀😀😀', 4)).toEqual(['😀😀', '😀']);
    expect(chunk('ab\ncd', 3, { atLineBreaks: false })).toEqual(['ab\n', 'cd']);
    expect(chunk('😀😀😀', 2, { measure: codePointLength, atLineBreaks: false })).toEqual(['😀😀', '😀']);
  });

  it('renders each part on its own, so that an escape is never cut in two', () => {
    const escape = (s: string) => s.replace(/&/g, '&amp;');
    const parts = chunk('a&b&c', 6, { render: escape, cost: (c) => (c === '&' ? 5 : 1) });
    expect(parts).toEqual(['a&amp;', 'b&amp;', 'c']);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(6);
  });
});

describe('the button codec', () => {
  const payloads: ButtonPayload[] = [
    { input: { kind: 'options', command: 'followup done', options: { id: '7' } } },
    { input: { kind: 'options', command: 'case find', options: { text: 'nguyễn văn | a&b=c %20' } }, page: 2 },
    { input: { kind: 'options', command: 'help', options: {} } },
    { input: { kind: 'text', line: 'case find nguyễn | 100%' } },
    { input: { kind: 'text', line: 'followup list' }, page: 0 },
  ];

  it.each(['compact', 'json'] as const)('reads back what it writes in the %s form', (form) => {
    const codec = buttonCodec({ form, maxLength: 2000 });
    for (const payload of payloads) expect(codec.decode(codec.encode(payload))).toEqual(payload);
  });

  it('writes options as text, and leaves out those without a value', () => {
    const input = { kind: 'options' as const, command: 'case show', options: { code: 'TN-1', page: 3, all: true, unit: undefined } };
    const decoded = decodeButton(encodeButton({ input }, 'compact'));
    expect(decoded).toEqual({ input: { kind: 'options', command: 'case show', options: { code: 'TN-1', page: '3', all: 'true' } } });
    expect(decodeButton(encodeButton({ input }, 'json'))).toEqual(decoded);
  });

  it("keeps each platform's forms: Discord's custom ids and Slack's JSON values", () => {
    const done = { input: { kind: 'options' as const, command: 'followup done', options: { id: '7' } } };
    expect(encodeButton(done, 'compact')).toBe('cd|followup done|id=7');
    expect(encodeButton({ ...done, page: 2 }, 'compact')).toBe('pg|2|followup done|id=7');
    expect(JSON.parse(encodeButton({ ...done, page: 2 }, 'json'))).toEqual({ c: 'followup done', o: { id: '7' }, p: 2 });
  });

  it("refuses a value longer than the platform's limit", () => {
    const codec = buttonCodec({ form: 'compact', maxLength: 100 });
    const find = (n: number): ButtonPayload => ({ input: { kind: 'options', command: 'case find', options: { text: 'x'.repeat(n) } } });
    // `cd|case find|text=` and 82 letters: 100.
    expect(codec.encode(find(82))).toHaveLength(100);
    expect(codec.encode(find(83))).toBeUndefined();
    expect(buttonCodec({ form: 'json', maxLength: 2000 }).encode(find(2000))).toBeUndefined();
  });

  it('reads nothing from what is not a button of ours', () => {
    for (const value of [
      undefined,
      '',
      'something else',
      'not json',
      '{"x":1}',
      'pg|x|case find|',
      'pg-first',
      'cd|',
      'cd|a|b|c',
      'cd|a|%E0%A4%A',
    ])
      expect(decodeButton(value)).toBeUndefined();
  });
});
