import { CommandRegistry } from '../src/core/command.ts';
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
