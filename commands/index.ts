import { CommandRegistry } from '../src/core/command.ts';
import { text, type Text } from '../src/i18n/text.ts';
import caseFind from './case-find.ts';
import caseInfo from './case-info.ts';
import caseNote from './case-note.ts';
import caseShow from './case-show.ts';
import caseStatus from './case-status.ts';
import followupAdd from './followup-add.ts';
import followupCancel from './followup-cancel.ts';
import followupDone from './followup-done.ts';
import followupList from './followup-list.ts';
import help from './help.ts';
import whoami from './whoami.ts';

/** Every command casedesk knows, listed explicitly. The registry refuses duplicate names. */
export const commands = new CommandRegistry([
  caseFind,
  caseShow,
  caseStatus,
  caseNote,
  caseInfo,
  followupAdd,
  followupList,
  followupDone,
  followupCancel,
  help,
  whoami,
]);

/** What the first word of a two-word command stands for: Discord and Slack show it. */
export const commandGroups: Record<string, Text> = {
  case: text('Hồ sơ đối tượng truy nã', 'Wanted-person cases'),
  followup: text('Việc cần làm giữa các đơn vị', 'Follow-ups between units'),
};
