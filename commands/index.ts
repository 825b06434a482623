import { CommandRegistry, type CommandGroup } from '../src/core/command.ts';
import { text } from '../src/i18n/text.ts';
import auditCase from './audit-case.ts';
import auditMember from './audit-member.ts';
import caseCheck from './case-check.ts';
import caseDecision from './case-decision.ts';
import caseFind from './case-find.ts';
import caseHistory from './case-history.ts';
import caseInfo from './case-info.ts';
import caseNote from './case-note.ts';
import casePhotoRetire from './case-photo-retire.ts';
import caseShow from './case-show.ts';
import caseStatus from './case-status.ts';
import caseValidate from './case-validate.ts';
import digestPreview from './digest-preview.ts';
import digestSchedule from './digest-schedule.ts';
import followupAdd from './followup-add.ts';
import followupCancel from './followup-cancel.ts';
import followupDone from './followup-done.ts';
import followupList from './followup-list.ts';
import help from './help.ts';
import hitConfirm from './hit-confirm.ts';
import hitList from './hit-list.ts';
import hitReject from './hit-reject.ts';
import hitWait from './hit-wait.ts';
import inspectionClose from './inspection-close.ts';
import inspectionList from './inspection-list.ts';
import inspectionMark from './inspection-mark.ts';
import inspectionShow from './inspection-show.ts';
import inspectionStart from './inspection-start.ts';
import meetingAttend from './meeting-attend.ts';
import meetingConclude from './meeting-conclude.ts';
import meetingEnd from './meeting-end.ts';
import meetingList from './meeting-list.ts';
import meetingMinutes from './meeting-minutes.ts';
import meetingNote from './meeting-note.ts';
import meetingStart from './meeting-start.ts';
import memberDisable from './member-disable.ts';
import memberEnable from './member-enable.ts';
import memberMove from './member-move.ts';
import memberRole from './member-role.ts';
import memberUnlink from './member-unlink.ts';
import validationDue from './validation-due.ts';
import whoami from './whoami.ts';

/** Every command casedesk knows, listed explicitly. The registry refuses duplicate names. */
export const commands = new CommandRegistry([
  caseFind,
  caseShow,
  caseStatus,
  caseDecision,
  caseNote,
  caseInfo,
  casePhotoRetire,
  caseCheck,
  caseHistory,
  caseValidate,
  validationDue,
  hitList,
  hitConfirm,
  hitReject,
  hitWait,
  followupAdd,
  followupList,
  followupDone,
  followupCancel,
  digestPreview,
  digestSchedule,
  meetingStart,
  meetingNote,
  meetingConclude,
  meetingAttend,
  meetingEnd,
  meetingList,
  meetingMinutes,
  inspectionStart,
  inspectionMark,
  inspectionClose,
  inspectionShow,
  inspectionList,
  auditCase,
  auditMember,
  memberRole,
  memberMove,
  memberDisable,
  memberEnable,
  memberUnlink,
  help,
  whoami,
]);

/** What the first word of a two-word command stands for, and its Vietnamese name: Discord and Slack show them. */
export const commandGroups: Record<string, CommandGroup> = {
  case: { nameVi: 'hồ-sơ', description: text('Hồ sơ đối tượng truy nã', 'Wanted-person cases') },
  hit: {
    nameVi: 'đối-chiếu',
    description: text('Xác nhận kết quả đối chiếu danh sách với hồ sơ truy nã', 'Confirm hits from list checks against the wanted list'),
  },
  validation: {
    nameVi: 'rà-soát',
    description: text('Rà soát định kỳ hồ sơ truy nã của đơn vị', "Periodic validation of the units' wanted records"),
  },
  followup: { nameVi: 'việc', description: text('Việc cần làm giữa các đơn vị', 'Follow-ups between units') },
  digest: { nameVi: 'báo-cáo', description: text('Báo cáo tiến độ cho Ban Chỉ đạo', "The steering committee's progress digest") },
  meeting: {
    nameVi: 'họp',
    description: text('Họp giao ban: chương trình, kết luận, biên bản', 'Committee meetings: agenda, conclusions, minutes'),
  },
  inspection: {
    nameVi: 'kiểm-tra-hồ-sơ',
    description: text(
      'Kiểm tra việc quản lý hồ sơ của đơn vị cấp dưới: chọn mẫu, ghi kết quả, giao việc khắc phục',
      'Inspect how a unit below keeps its records: draw a sample, mark findings, assign follow-ups',
    ),
  },
  audit: {
    nameVi: 'kiểm-tra',
    description: text('Xem lại nhật ký kiểm toán: ai đã xem, ai đã sửa', 'Review the audit log: who read, who changed'),
  },
  member: {
    nameVi: 'thành-viên',
    description: text(
      'Thành viên: đổi vai trò, chuyển đơn vị, vô hiệu hoá, gỡ liên kết',
      'Members: change a role, move, disable, unlink an account',
    ),
  },
};
