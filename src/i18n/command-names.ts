/**
 * Vietnamese names for the words of the chat commands, keyed by the English word: command groups,
 * subcommands and options alike. Discord shows them (`name_localizations.vi`) to members whose
 * client is in Vietnamese; what it sends back is always the English name, so parsing never sees
 * these. Each must pass Discord's naming rule (letters, digits, `-` and `_`, 1 to 32 characters,
 * lowercase) and be unique among its siblings; tests/adapters/discord/registration.test.ts checks
 * both for every name registered.
 *
 * @example
 *   vietnameseCommandName('followup') === 'việc'   // `/việc giao` is `/followup add`
 */
export const VIETNAMESE_COMMAND_NAMES: Readonly<Record<string, string>> = {
  // Commands and groups.
  case: 'hồ-sơ',
  followup: 'việc',
  digest: 'báo-cáo',
  meeting: 'họp',
  help: 'trợ-giúp',
  whoami: 'tài-khoản',
  // Subcommands.
  find: 'tìm',
  show: 'xem',
  status: 'trạng-thái',
  note: 'ghi-chú',
  info: 'bổ-sung',
  add: 'giao',
  list: 'danh-sách',
  done: 'xong',
  cancel: 'huỷ',
  preview: 'xem-trước',
  schedule: 'lịch-gửi',
  start: 'bắt-đầu',
  conclude: 'kết-luận',
  attend: 'tham-dự',
  end: 'kết-thúc',
  minutes: 'biên-bản',
  // Options.
  text: 'nội-dung',
  unit: 'đơn-vị',
  danger: 'mức-nguy-hiểm',
  code: 'mã',
  outcome: 'kết-quả',
  reason: 'lý-do',
  on: 'ngày',
  decision: 'số-quyết-định',
  version: 'phiên-bản',
  field: 'mục',
  assignee: 'giao-cho',
  task: 'nhiệm-vụ',
  due: 'hạn',
  filter: 'lọc',
  id: 'số',
  period: 'kỳ',
  from: 'từ-ngày',
  to: 'đến-ngày',
  action: 'thao-tác',
  spec: 'lịch',
  tz: 'múi-giờ',
  kind: 'loại',
  locale: 'ngôn-ngữ',
  title: 'tiêu-đề',
  member: 'thành-viên',
  command: 'lệnh',
};

/** The Vietnamese name of a command word; throws for a word without one, so a new option cannot ship unnamed. */
export function vietnameseCommandName(word: string): string {
  const name = VIETNAMESE_COMMAND_NAMES[word];
  if (name === undefined) throw new Error(`No Vietnamese name for the command word "${word}": add it to src/i18n/command-names.ts.`);
  return name;
}
