import { defineCommand, mayRun, type CommandDefinition } from '../src/core/command.ts';
import { fail, ok } from '../src/domain/result.ts';
import { usageLine } from '../src/core/options.ts';
import { text, type Locale } from '../src/i18n/text.ts';
import { ROLE_LABEL } from '../src/i18n/labels.ts';

export default defineCommand({
  name: 'help',
  nameVi: 'trợ-giúp',
  description: text('Danh sách lệnh, hoặc cách dùng một lệnh', 'List the commands, or how to use one'),
  minRole: 'viewer',
  openToAuditors: true,
  writes: false,
  options: [
    {
      name: 'command',
      nameVi: 'lệnh',
      type: 'text',
      positional: true,
      maxLength: 40,
      description: text('tên lệnh, ví dụ "case status"', 'a command name, e.g. "case status"'),
    },
  ],
  async run(ctx) {
    const l = ctx.locale;
    const asked = ctx.options.command?.toLowerCase();
    const allowed = (c: CommandDefinition) => mayRun(ctx.member.role, c);
    if (asked) {
      const exact = ctx.commands.get(asked);
      if (exact) return ok({ personal: false, title: exact.name, blocks: detail(exact, l, allowed(exact)) });
      const group = ctx.commands.all().filter((c) => c.name.split(' ')[0] === asked);
      if (group.length === 0) {
        return fail(
          'not_found',
          text(`Không có lệnh "${asked}". Gõ help để xem các lệnh.`, `There is no command "${asked}". Type help for the list.`),
        );
      }
      return ok({ personal: false, blocks: [{ kind: 'list', items: group.map((c) => summary(c, l, allowed(c))) }] });
    }
    const available = ctx.commands.all().filter(allowed);
    const hidden = ctx.commands.all().length - available.length;
    const blocks: Array<{ kind: 'list'; items: string[] } | { kind: 'text'; text: string; tone: 'muted' }> = [
      { kind: 'list', items: available.map((c) => summary(c, l, true)) },
    ];
    blocks.push({
      kind: 'text',
      tone: 'muted',
      text:
        text('Gõ "help <lệnh>" để xem chi tiết một lệnh.', 'Type "help <command>" for the details of one.')(l) +
        (hidden > 0 ? text(` ${hidden} lệnh khác cần vai trò cao hơn.`, ` ${hidden} more need a higher role.`)(l) : ''),
    });
    return ok({ personal: false, title: text('Các lệnh của casedesk', 'casedesk commands')(l), blocks });
  },
});

function summary(command: CommandDefinition, l: Locale, allowed: boolean): string {
  const lock = allowed ? '' : ` (${text('cần vai trò', 'needs')(l)} ${ROLE_LABEL[command.minRole](l)})`;
  return `${usageLine(command.name, command.options)} — ${command.description(l)}${lock}`;
}

function detail(command: CommandDefinition, l: Locale, allowed: boolean) {
  return [
    { kind: 'code' as const, text: usageLine(command.name, command.options) },
    { kind: 'text' as const, text: command.description(l) },
    {
      kind: 'fields' as const,
      fields: command.options.map((o) => ({
        // The name as typed (`status`, written `status:…` in the usage line above), and in
        // Vietnamese what it is; never a colon of its own, which the field's own would double.
        label: l === 'vi' ? `${o.name} (${o.labelVi ?? o.nameVi.replaceAll('-', ' ')})` : o.name,
        value:
          o.description(l) +
          (o.required ? text(' (bắt buộc)', ' (required)')(l) : '') +
          (o.type === 'choice' ? ` — ${o.choices!.map((c) => `${c.value} (${c.label(l)})`).join(', ')}` : ''),
      })),
    },
    {
      kind: 'text' as const,
      tone: 'muted' as const,
      text:
        text(`Vai trò tối thiểu: ${ROLE_LABEL[command.minRole](l)}.`, `Least role: ${ROLE_LABEL[command.minRole](l)}.`)(l) +
        (allowed ? '' : text(' Bạn chưa dùng được lệnh này.', ' You cannot run it yet.')(l)),
    },
  ];
}
