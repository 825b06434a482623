import type { Executor } from '../../db/client.ts';
import type { Locale } from '../i18n/text.ts';
import type { Logger } from '../logger.ts';
import { minutesMessage } from '../presenters/meeting.ts';
import { enqueueMessages } from '../repositories/outbox.ts';
import { closeStaleMeetings } from '../services/meetings.ts';

/**
 * The meetings' time-out: closes meetings left open longer than `timeoutMs`. Each is closed by one
 * UPDATE, and its minutes go into the outbox in the same transaction, so with several instances
 * running it is closed, and posted, once, by whichever instance delivers to its platform. Console
 * meetings have no channel to post to: they are closed, and their minutes kept. Returns the ids
 * of the meetings closed.
 */
export async function timeOutStaleMeetings(
  db: Executor,
  input: {
    now: Date;
    timeoutMs: number;
    /** The language and time zone of the minutes posted. */
    locale: Locale;
    timeZone: string;
    logger: Logger;
  },
): Promise<number[]> {
  const { now } = input;
  const closed = await closeStaleMeetings(db, {
    now,
    timeoutMs: input.timeoutMs,
    onClosed: async (tx, { meeting, minutes }) => {
      if (meeting.platform === 'console') return;
      await enqueueMessages(tx, {
        messages: [
          {
            key: `minutes:${meeting.id}`,
            platform: meeting.platform,
            target: { channelId: meeting.channelId },
            message: minutesMessage(minutes, input.locale, input.timeZone),
          },
        ],
        now,
      });
    },
  });
  for (const { meeting } of closed)
    input.logger.info({ meeting: meeting.id, platform: meeting.platform }, 'meeting closed after its time-out');
  return closed.map((c) => c.meeting.id);
}
