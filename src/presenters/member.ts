import type { MemberRole } from '../../db/schema/index.ts';
import { ROLE_LABEL } from '../i18n/labels.ts';
import { text, type Locale, type Text } from '../i18n/text.ts';
import type { MemberChange } from '../services/directory.ts';

/** A change to a member as the lifecycle services return it, tagged with what kind of change it is. */
export type MemberChangeOf =
  | { kind: 'role'; change: MemberChange<{ role: MemberRole }> }
  | { kind: 'move'; change: MemberChange<{ unit: string }> }
  | { kind: 'disable'; change: MemberChange<{ disabledAt: string | null }> }
  | { kind: 'enable'; change: MemberChange<{ disabledAt: string | null }> }
  | { kind: 'unlink'; change: MemberChange<{ accounts: string[] }> };

/** What a change will do, for the confirmation question: `duc.nv (Nguyễn Văn Đức): role officer → lead`. */
export function memberChangeLine(c: MemberChangeOf, l: Locale): string {
  const who = c.change.displayName === c.change.handle ? c.change.handle : `${c.change.displayName} (${c.change.handle})`;
  const what: Text = (() => {
    switch (c.kind) {
      case 'role': {
        const [before, after] = [ROLE_LABEL[c.change.before.role](l), ROLE_LABEL[c.change.after.role](l)];
        return text(`vai trò ${before} → ${after}`, `role ${before} → ${after}`);
      }
      case 'move':
        return text(`đơn vị ${c.change.before.unit} → ${c.change.after.unit}`, `unit ${c.change.before.unit} → ${c.change.after.unit}`);
      case 'disable':
        return text('vô hiệu hoá tài khoản', 'disable the account');
      case 'enable':
        return text('cho dùng lại tài khoản', 'enable the account again');
      case 'unlink': {
        const gone = unlinked(c.change).join(', ');
        return text(`gỡ liên kết ${gone}`, `unlink ${gone}`);
      }
    }
  })();
  return `${who}: ${what(l)}`;
}

/** What a change did, and what follows from it, for the answer and the command line. */
export function memberChangedText(c: MemberChangeOf): Text {
  const h = c.change.handle;
  switch (c.kind) {
    case 'role':
      return (l) =>
        text(
          `Đã đổi vai trò của ${h}: ${ROLE_LABEL[c.change.before.role](l)} → ${ROLE_LABEL[c.change.after.role](l)}.`,
          `Changed ${h}'s role: ${ROLE_LABEL[c.change.before.role](l)} → ${ROLE_LABEL[c.change.after.role](l)}.`,
        )(l);
    case 'move': {
      const { before, after } = c.change;
      return text(
        `Đã chuyển ${h} từ ${before.unit} sang ${after.unit}: từ lệnh tiếp theo, họ thấy hồ sơ của ${after.unit} và cấp dưới, không còn thấy của ${before.unit}.`,
        `Moved ${h} from ${before.unit} to ${after.unit}: from their next command they see the cases of ${after.unit} and its sub-units, no longer those of ${before.unit}.`,
      );
    }
    case 'disable':
      return text(
        `Đã vô hiệu hoá ${h}: casedesk từ chối mọi lệnh của họ từ nay, và các nút xác nhận đang chờ của họ hết hiệu lực. Lịch sử của họ được giữ nguyên.`,
        `Disabled ${h}: casedesk refuses every command of theirs from now on, and their pending confirm buttons are void. Their history stays.`,
      );
    case 'enable':
      return text(
        `Đã cho ${h} dùng lại casedesk, với vai trò và đơn vị như trước.`,
        `Enabled ${h} again, with the role and unit they had.`,
      );
    case 'unlink': {
      const gone = unlinked(c.change).join(', ');
      return text(
        `Đã gỡ liên kết ${gone} khỏi ${h}; tài khoản đó không còn dùng được casedesk.`,
        `Unlinked ${gone} from ${h}; that account can no longer use casedesk.`,
      );
    }
  }
}

const unlinked = (change: MemberChange<{ accounts: string[] }>) => change.before.accounts.filter((a) => !change.after.accounts.includes(a));
