import type { Actor } from './invocation.ts';
import type { CommandMiss } from './command.ts';
import { ROLE_LABEL } from '../i18n/labels.ts';
import { text, type Text } from '../i18n/text.ts';
import type { MemberRole } from '../../db/schema/index.ts';

/** What the dispatcher itself says: refusals, a bug's reference, the personal-data guard. */

export const expiredActionText = text(
  'Nút này đã hết hạn hoặc đã được dùng; không có gì thay đổi. Hãy chạy lại lệnh.',
  'This button has expired or was already used; nothing changed. Run the command again.',
);

export const cancelledText = text('Đã huỷ; không có gì thay đổi.', 'Cancelled; nothing changed.');

export const confirmLabel = text('Xác nhận', 'Confirm');
export const cancelLabel = text('Huỷ', 'Cancel');

export const personalWithheldText = text(
  'Câu trả lời có thông tin cá nhân nên chỉ được hiển thị riêng cho bạn; nơi này không hiển thị riêng được. Hãy hỏi lại trong tin nhắn riêng với casedesk.',
  'This answer holds personal data and can only be shown to you alone, which is not possible here. Ask again in a direct message to casedesk.',
);

export function unknownUserText(actor: Actor): Text {
  const account = `${actor.platform} ${actor.workspaceId}/${actor.userId}`;
  if (actor.platform === 'console') {
    return text(
      `Không có thành viên "${actor.userId}". Quản trị viên thêm thành viên bằng: casedesk members add <tên> --role <vai trò> --unit <đơn vị>.`,
      `There is no member "${actor.userId}". An administrator adds members with: casedesk members add <handle> --role <role> --unit <unit>.`,
    );
  }
  return text(
    `Bạn chưa được cấp quyền dùng casedesk. Hãy gửi mã tài khoản sau cho quản trị viên của đơn vị: ${account}. ` +
      `Quản trị viên cấp quyền bằng: casedesk members link <tên> --platform ${actor.platform} --workspace ${actor.workspaceId} --user ${actor.userId}`,
    `You do not have access to casedesk yet. Send this account id to your unit's administrator: ${account}. ` +
      `They grant access with: casedesk members link <handle> --platform ${actor.platform} --workspace ${actor.workspaceId} --user ${actor.userId}`,
  );
}

export const disabledText = text(
  'Tài khoản của bạn đã bị vô hiệu hoá nên không dùng được casedesk. Nếu bạn cho rằng đây là nhầm lẫn, hãy liên hệ quản trị viên của đơn vị.',
  "Your account is disabled, so casedesk is closed to you. If you think this is a mistake, ask your unit's administrator.",
);

/**
 * A line that names no command, with the nearest command when there is one:
 * "`case` has no subcommand `fnd`. Did you mean `case find`? Subcommands: find, show, …".
 */
export function unknownCommandText(miss: CommandMiss): Text {
  const { group, subcommand, suggestion } = miss;
  const list = (miss.subcommands ?? []).join(', ');
  const vi = suggestion ? ` Có phải bạn muốn gõ \`${suggestion}\`?` : '';
  const en = suggestion ? ` Did you mean \`${suggestion}\`?` : '';
  if (group && subcommand !== undefined) {
    return text(
      `Lệnh \`${group}\` không có lệnh con \`${subcommand}\`.${vi} Các lệnh con: ${list}. Gõ help ${group} để xem cách dùng.`,
      `\`${group}\` has no subcommand \`${subcommand}\`.${en} Subcommands: ${list}. Type help ${group} for how to use them.`,
    );
  }
  if (group) {
    return text(
      `Lệnh \`${group}\` cần thêm một lệnh con: ${list}. Gõ: help ${group}`,
      `\`${group}\` needs a subcommand: ${list}. Type: help ${group}`,
    );
  }
  return text(`Không có lệnh này.${vi} Gõ help để xem các lệnh.`, `There is no such command.${en} Type help for the list of commands.`);
}

export function deniedText(command: string, needed: MemberRole, held: MemberRole): Text {
  return (l) =>
    text(
      `Lệnh "${command}" cần vai trò ${ROLE_LABEL[needed](l)} trở lên; vai trò của bạn là ${ROLE_LABEL[held](l)}.`,
      `"${command}" needs the ${ROLE_LABEL[needed](l)} role or above; yours is ${ROLE_LABEL[held](l)}.`,
    )(l);
}

export function internalErrorText(reference: string): Text {
  return text(
    `Đã có lỗi nội bộ; không có gì bị thay đổi. Khi báo lỗi, hãy gửi mã ${reference}.`,
    `Something went wrong inside casedesk; nothing was changed. Quote ${reference} when you report it.`,
  );
}
