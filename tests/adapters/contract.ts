import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import type { Actor, Invocation } from '../../src/core/invocation.ts';
import type { ReplyMessage } from '../../src/domain/reply.ts';
import { parseTextOptions, validateOptions } from '../../src/core/options.ts';

/**
 * What every adapter's renderer must do, whatever its platform: show every string of every reply
 * kind, literally, and let nothing in them act (mention, ping, link, format).
 */
export interface RendererUnderTest<R> {
  name: string;
  render(message: ReplyMessage): R;
  /** The text a reader of the platform would see. */
  visible(rendered: R): string;
  /** Pieces of the rendering that the platform would act on: mentions, live markup. */
  live(rendered: R): string[];
  /** Checks the platform's own limits; throws when one is exceeded. */
  withinLimits(rendered: R): void;
}

export const HOSTILE =
  'Lê @everyone @here <@123> <@!456> <#789> <!channel> <!here> **Tám** _nghiêng_ `mã` ~~gạch~~ ||ẩn|| <b>x</b> [link](http://evil.example) # tiêu đề';

/** One reply of each kind of block, with actions, and the strings a reader must find. */
export const REPLY_KINDS: Array<{ kind: string; message: ReplyMessage; strings: string[] }> = [
  { kind: 'text', message: { personal: false, blocks: [{ kind: 'text', text: 'Đã giao việc #12.' }] }, strings: ['Đã giao việc #12.'] },
  {
    kind: 'error text',
    message: { personal: false, blocks: [{ kind: 'text', text: 'Không tìm thấy hồ sơ TN-1.', tone: 'error' }] },
    strings: ['Không tìm thấy hồ sơ TN-1.'],
  },
  {
    kind: 'title and fields',
    message: {
      personal: true,
      title: 'Hồ sơ TN-2021-000001',
      blocks: [
        {
          kind: 'fields',
          fields: [
            { label: 'Họ tên', value: 'Nguyễn Văn Đức' },
            { label: 'Trạng thái', value: 'đang truy nã' },
          ],
        },
      ],
    },
    strings: ['Hồ sơ TN-2021-000001', 'Họ tên', 'Nguyễn Văn Đức', 'Trạng thái', 'đang truy nã'],
  },
  {
    kind: 'list',
    message: { personal: true, blocks: [{ kind: 'list', items: ['TN-1 · Nguyễn Văn Đức', 'TN-2 · Lê Văn Tám'] }] },
    strings: ['TN-1 · Nguyễn Văn Đức', 'TN-2 · Lê Văn Tám'],
  },
  {
    kind: 'ordered list and code',
    message: {
      personal: false,
      blocks: [
        { kind: 'list', ordered: true, items: ['một', 'hai'] },
        { kind: 'code', text: 'case find <text…>' },
      ],
    },
    strings: ['một', 'hai', 'case find <text…>'],
  },
  {
    kind: 'muted text and actions',
    message: {
      personal: true,
      blocks: [{ kind: 'text', text: 'Còn 3 việc nữa.', tone: 'muted' }],
      actions: [{ label: 'Xong #7', style: 'primary', command: 'followup done', options: { id: '7' } }],
    },
    strings: ['Còn 3 việc nữa.', 'Xong #7'],
  },
  {
    kind: 'hostile case data',
    message: {
      personal: true,
      title: HOSTILE,
      blocks: [
        { kind: 'text', text: HOSTILE },
        { kind: 'list', items: [HOSTILE] },
        { kind: 'fields', fields: [{ label: HOSTILE, value: HOSTILE }] },
      ],
    },
    strings: [HOSTILE],
  },
];

export function rendererContract<R>(subject: RendererUnderTest<R>): void {
  describe(`renderer contract: ${subject.name}`, () => {
    it.each(REPLY_KINDS)('shows every string of a $kind reply, within the limits', ({ message, strings }) => {
      const rendered = subject.render(message);
      subject.withinLimits(rendered);
      const seen = subject.visible(rendered);
      for (const s of strings) expect(seen).toContain(s);
    });

    it('lets nothing in case data mention, ping or format', () => {
      const hostile = REPLY_KINDS.find((k) => k.kind === 'hostile case data')!.message;
      expect(subject.live(subject.render(hostile))).toEqual([]);
    });

    it('keeps a very long answer within the limits without losing a line', () => {
      const items = Array.from(
        { length: 400 },
        (_, i) => `TN-2020-${String(i).padStart(6, '0')} · Nguyễn Văn Số ${i} · 1980 · CA-HN · đang truy nã`,
      );
      const rendered = subject.render({ personal: true, title: 'Kết quả', blocks: [{ kind: 'list', items }] });
      subject.withinLimits(rendered);
      const seen = subject.visible(rendered);
      for (const item of items) expect(seen).toContain(item);
    });
  });
}

/**
 * Requests every adapter must map to the same command and options, whatever its payload: the
 * parsed values are what the dispatcher would run. Each adapter records how its platform sends
 * each one (a slash command's typed options, a line of text, a button's custom id or value).
 */
export const REQUESTS = {
  find: { command: 'case find', options: { text: 'nguyen van duc' } },
  assign: {
    command: 'followup add',
    options: { code: 'TN-2021-000001', assignee: 'duc.nv', task: 'Xác minh nơi ở cũ', due: '2026-12-01' },
  },
  status: { command: 'case status', options: { code: 'TN-2021-000001', outcome: 'arrested', on: '2026-11-20', reason: 'bắt tại nhà' } },
  done: { command: 'followup done', options: { id: 7 } },
} as const;
export type RequestName = keyof typeof REQUESTS;

export interface MapperUnderTest {
  name: string;
  /** Who the recordings come from, as the platform knows them. */
  actor: Actor;
  /**
   * Where the recordings were made and the language the platform said the user reads, as the
   * invocation must carry them (the channel is audited and answered in; the locale hint is used
   * until the user is known). Compared when given.
   */
  channel?: Invocation['channel'];
  localeHint?: Invocation['localeHint'];
  /** The invocation the adapter builds from its recording of `request`; undefined if the platform has no such request. */
  map(request: RequestName): Invocation | undefined | Promise<Invocation | undefined>;
}

/** The command and parsed options the dispatcher would run for an invocation. */
function normalize(invocation: Invocation): { command: string; options: Record<string, unknown> } {
  const input = invocation.input;
  const found = input.kind === 'text' ? commands.resolveText(input.line) : { command: commands.get(input.command), rest: '' };
  if (!('command' in found) || !found.command) throw new Error(`no command for ${JSON.stringify(input)}`);
  const command = found.command;
  const raw =
    input.kind === 'text' ? parseTextOptions(command.name, found.rest, command.options) : { ok: true as const, value: input.options };
  if (!raw.ok) throw new Error(raw.failure.text('en'));
  const parsed = validateOptions(command.name, raw.value, command.options);
  if (!parsed.ok) throw new Error(parsed.failure.text('en'));
  return { command: command.name, options: Object.fromEntries(Object.entries(parsed.value).filter(([, v]) => v !== undefined)) };
}

export function invocationContract(subject: MapperUnderTest): void {
  describe(`invocation contract: ${subject.name}`, () => {
    it.each(Object.keys(REQUESTS) as RequestName[])('maps a recorded %s request to the command and options the core runs', async (name) => {
      const invocation = await subject.map(name);
      if (invocation === undefined) {
        // Only a button press may be missing, on a platform without buttons.
        expect(name).toBe('done');
        return;
      }
      expect(invocation.actor).toEqual(subject.actor);
      expect(invocation.id).toMatch(new RegExp(`^${subject.actor.platform}:.+`));
      expect(normalize(invocation)).toEqual(REQUESTS[name]);
      if (subject.channel !== undefined) expect(invocation.channel).toEqual(subject.channel);
      if ('localeHint' in subject) expect(invocation.localeHint).toEqual(subject.localeHint);
    });
  });
}
