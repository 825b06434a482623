import type { Executor } from '../../../db/client.ts';
import type { ReplyMessage } from '../../domain/reply.ts';
import { fail, ok, type Result } from '../../domain/result.ts';
import { formatDateTime, text } from '../../i18n/text.ts';
import { findRun } from '../../repositories/digest-runs.ts';

/**
 * What a scheduled run sent, as it was sent (without its chart): the message and the figures it
 * was built from. Refuses a run that does not exist, was not sent yet, or sent nothing it kept (a
 * reminder run, or one built before runs kept their report).
 */
export async function deliveredDigest(
  db: Executor,
  input: { runId: number; timeZone: string },
): Promise<Result<{ message: ReplyMessage; figures: Record<string, unknown> | null; deliveredAt: Date }>> {
  const run = await findRun(db, { runId: input.runId });
  if (!run) {
    return fail('not_found', text(`Không có lần gửi số ${input.runId}.`, `There is no run ${input.runId}.`));
  }
  if (!run.deliveredAt) {
    return fail('conflict', (l) =>
      l === 'vi'
        ? `Lần gửi số ${input.runId} chưa gửi xong; hãy thử lại sau (casedesk digest run-schedules).`
        : `Run ${input.runId} has not been delivered yet; try again later (casedesk digest run-schedules).`,
    );
  }
  if (!run.message) {
    return fail('not_found', (l) =>
      l === 'vi'
        ? `Lần gửi số ${input.runId} (${formatDateTime(l, run.deliveredAt!, input.timeZone)}) không lưu báo cáo: đó là lượt nhắc việc, hoặc được gửi trước khi casedesk lưu báo cáo đã gửi.`
        : `Run ${input.runId} (${formatDateTime(l, run.deliveredAt!, input.timeZone)}) kept no report: it sent reminders, or was sent before casedesk kept what it sent.`,
    );
  }
  return ok({ message: run.message as unknown as ReplyMessage, figures: run.figures ?? null, deliveredAt: run.deliveredAt });
}
