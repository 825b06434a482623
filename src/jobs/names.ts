/** The scheduled jobs' names, as the scheduler, the run ledger and `casedesk jobs run` know them. */
export const HOUSEKEEPING_JOB = 'housekeeping';
export const HIT_LADDER_JOB = 'hit-ladder';
