import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { queryRows } from '../../db/client.ts';
import { createDispatcher } from '../../src/core/dispatcher.ts';
import type { Invocation } from '../../src/core/invocation.ts';
import { RecordingReply } from '../support/core.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { makeMember, makeUnitTree } from '../factories/index.ts';

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
beforeEach(async () => {
  await t.reset();
  await makeUnitTree(t.db);
  await makeMember(t.db, { handle: 'lead', role: 'lead', unit: 'C06' });
});
afterAll(() => t.close());

const invocation = (id: string): Invocation => ({
  id,
  actor: { platform: 'console', workspaceId: 'local', userId: 'lead' },
  channel: { id: 'c', isPrivate: true },
  input: { kind: 'text', line: 'whoami' },
});

/** A dispatcher whose command turns wait until `open()`: as if running commands held every connection. */
function heldDispatcher() {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const dispatcher = createDispatcher({
    db: t.db,
    commands,
    locale: 'en',
    timeZone: 'Asia/Ho_Chi_Minh',
    logger: pino({ level: 'silent' }),
    turn: async (work) => {
      await gate;
      return work();
    },
  });
  return { dispatcher, open };
}

describe('accept → acknowledge → dispatch', () => {
  it('acknowledges before the command gets its turn, and answers once the turn comes', async () => {
    const { dispatcher, open } = heldDispatcher();
    const events: string[] = [];
    const reply = new RecordingReply();
    const done = dispatcher.dispatch(invocation('discord:1'), reply, { acknowledge: async () => void events.push('ack') });
    await new Promise((r) => setTimeout(r, 200));
    expect(events).toEqual(['ack']);
    expect(reply.messages).toEqual([]);
    open();
    expect((await done).outcome).toBe('ok');
    expect(reply.text).toContain('lead');
  });

  it('lets only the instance that accepted acknowledge and answer; the other does neither', async () => {
    const a = heldDispatcher();
    const b = heldDispatcher();
    a.open();
    b.open();
    const acks: string[] = [];
    const [ra, rb] = [new RecordingReply(), new RecordingReply()];
    const results = await Promise.all([
      a.dispatcher.dispatch(invocation('discord:2'), ra, { acknowledge: async () => void acks.push('a') }),
      b.dispatcher.dispatch(invocation('discord:2'), rb, { acknowledge: async () => void acks.push('b') }),
    ]);
    expect(results.map((r) => r.outcome).sort()).toEqual(['duplicate', 'ok']);
    expect(acks).toHaveLength(1);
    expect(ra.messages.length + rb.messages.length).toBe(1);
    expect(await queryRows(t.db, sql`select count(*)::int as n from audit_log`)).toEqual([{ n: 1 }]);
  });
});
