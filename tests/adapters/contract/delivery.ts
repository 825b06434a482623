import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../../db/client.ts';
import type { ReplyMessage } from '../../../src/domain/reply.ts';
import { openTestDb, type TestDb } from '../../support/db.ts';
import { makeCase, makeUnitTree } from '../../factories/index.ts';
import type { Harness, Request, Seen, Settle, StartHarness, User } from './harness.ts';

const CASE = 'TN-2021-000001';
const all = (answer: Seen[]) => answer.map((m) => m.text).join('\n');
/** Waits for `n` messages, or one where an answer is never cut. */
const atLeast = (n: number): Settle => ({ until: (answer) => answer.length >= (Number.isFinite(n) ? n : 1) });
const button = (message: Seen, label: string) => message.buttons.find((b) => b.label === label);

/**
 * The delivery contract: every behaviour of answering and posting, run once against each
 * platform, through its adapter's real client and the platform's fake. A platform that lacks what
 * a behaviour needs declares it (`Harness.can`), and the contract checks what it does instead.
 */
export function deliveryContract(platforms: Array<{ name: string; start: StartHarness }>): void {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb();
  });
  afterAll(() => t.close());

  describe.each(platforms)('delivery contract: $name', ({ start }) => {
    let h: Harness;
    let duc: User;
    beforeEach(async () => {
      await t.reset();
      await makeUnitTree(t.db);
      h = await start({ db: t.db });
      // A mention in case data, which no platform may act on.
      await makeCase(t.db, { code: CASE, fullName: 'Nguyễn Văn Đức', aliases: [`${h.mention} <@123>`], unit: 'CAQ-HK' });
      duc = await h.join({ handle: 'duc', role: 'officer', unit: 'CA-HN' });
    });
    afterEach(() => h.stop());

    const status = (outcome: string, reason?: string): Request => ({
      line: `case status ${CASE} ${outcome}${reason ? ` ${reason}` : ''}`,
      command: 'case status',
      options: { code: CASE, outcome, ...(reason ? { reason } : {}) },
    });
    const cases = () => queryRows(t.db, sql`select status::text, outcome_note from cases`);

    const find: Request = { line: 'case find nguyen van duc', command: 'case find', options: { text: 'nguyen van duc' } };

    it('answers a read typed without diacritics privately, with the case, its data acting on nothing', async () => {
      const answer = await h.send(duc, find);
      expect(answer).toHaveLength(1);
      expect(answer[0]!.where).toBe('private');
      expect(answer[0]!.text).toContain(CASE);
      expect(answer[0]!.text).toContain('Nguyễn Văn Đức');
      expect(h.live(answer[0]!)).toEqual([]);
      h.specific.answered?.(answer);
    });

    it('tells an unknown user how to get access, and audits the attempt', async () => {
      const answer = await h.send(h.stranger, find);
      expect(answer).toHaveLength(1);
      expect(answer[0]!.where).toBe('private');
      expect(answer[0]!.text).toContain(h.accessHint(h.stranger));
      expect(answer[0]!.text).not.toContain('Nguyễn');
      h.specific.unknownUser?.(answer);
      expect(await queryRows(t.db, sql`select outcome::text, detail, user_id from audit_log`)).toEqual([
        { outcome: 'denied', detail: 'unknown_user', user_id: h.stranger.userId },
      ]);
    });

    it('runs a "done" button as the command it stands for, checked for whoever pressed it, or shows the command to type', async () => {
      await h.join({ handle: 'lead', role: 'lead', unit: 'CA-HN' });
      await t.db.execute(sql`insert into follow_ups (case_id, assignee_member_id, task, created_by_member_id)
        select id, (select id from members where handle = 'duc'), 'Xác minh', (select id from members where handle = 'lead')
        from cases where code = ${CASE}`);
      const [list] = await h.send(duc, { line: 'followup list', command: 'followup list' });
      let done: (user: User) => Promise<Seen[]>;
      if (h.can.buttons) {
        const button = list!.buttons.find((b) => b.label === 'Done #1')!;
        expect(button).toBeDefined();
        h.specific.doneButton?.(button);
        done = (user) => h.press(user, button);
      } else {
        // Without buttons, the answer names the command each would run.
        expect(list!.text).toContain('[Done #1] → followup done 1');
        done = (user) => h.send(user, { line: 'followup done 1', command: 'followup done', options: { id: 1 } });
      }
      const refused = await done(h.stranger);
      expect(refused).toHaveLength(1);
      expect(refused[0]!.where).toBe('private');
      expect(refused[0]!.text).toContain(h.accessHint(h.stranger));
      h.specific.strangerPress?.(refused);
      expect(await queryRows(t.db, sql`select status::text from follow_ups`)).toEqual([{ status: 'open' }]);
      expect(await queryRows(t.db, sql`select command, outcome::text, detail from audit_log where user_id = ${h.stranger.userId}`)).toEqual(
        [{ command: 'followup done', outcome: 'denied', detail: 'unknown_user' }],
      );

      const answer = await done(duc);
      expect(answer).toHaveLength(1);
      expect(answer[0]!.text).toContain('Follow-up #1 is done.');
      expect(await queryRows(t.db, sql`select status::text from follow_ups`)).toEqual([{ status: 'done' }]);
    });

    it('pages a long read-only answer: one page at a time by buttons that run the read again, or all at once without buttons', async () => {
      await h.join({ handle: 'lead', role: 'lead', unit: 'CA-HN' });
      for (let i = 1; i <= 25; i++) {
        await t.db.execute(sql`insert into follow_ups (case_id, assignee_member_id, task, created_by_member_id)
          select id, (select id from members where handle = 'duc'), ${`Việc ${i}: ${'xác minh nơi ở, '.repeat(30)}`},
            (select id from members where handle = 'lead') from cases where code = ${CASE}`);
      }
      // No extra messages: the other pages are one press away.
      const answer = await h.send(duc, { line: 'followup list', command: 'followup list' });
      expect(answer).toHaveLength(1);
      const [first] = answer;
      expect(first!.where).toBe('private');
      h.withinLimits(first!);
      expect(first!.text).toContain('Việc 1:');

      if (!h.can.buttons) {
        // Without buttons, every page at once, in one answer.
        expect(first!.page).toBeUndefined();
        for (let i = 1; i <= 25; i++) expect(first!.text).toContain(`Việc ${i}:`);
        expect(await queryRows(t.db, sql`select command, outcome::text from audit_log order by id`)).toEqual([
          { command: 'followup list', outcome: 'ok' },
        ]);
        return;
      }
      const pages = first!.page!.count;
      expect(first!.page).toEqual({ index: 0, count: pages });
      expect(pages).toBeGreaterThan(1);
      expect(button(first!, '◀')).toEqual(h.can.firstPageBack === 'disabled' ? expect.objectContaining({ disabled: true }) : undefined);
      const next = button(first!, '▶')!;
      expect(next).toMatchObject({ disabled: false });

      const pressed = await h.press(duc, next);
      expect(pressed).toHaveLength(1);
      const [second] = pressed;
      // In place of the first page, for the presser alone.
      expect(second).toMatchObject({ where: 'private', replaces: true, page: { index: 1, count: pages } });
      h.withinLimits(second!);
      expect(second!.text).not.toContain('Việc 1:');
      h.specific.paged?.(first!, second!);
      // Each page is a read of its own, audited.
      expect(await queryRows(t.db, sql`select command, outcome::text from audit_log order by id`)).toEqual([
        { command: 'followup list', outcome: 'ok' },
        { command: 'followup list', outcome: 'ok' },
      ]);
    });

    it('asks to confirm a status change, makes it on confirm once, and lets a lead but not a viewer confirm', async () => {
      const lead = await h.join({ handle: 'lead', role: 'lead', unit: 'CA-HN' });
      const viewer = await h.join({ handle: 'viewer', role: 'viewer', unit: 'CA-HN' });
      const reason = `Bắt tại nơi ở. ${'Chi tiết. '.repeat(60)}`;
      const asked = await h.send(lead, status('arrested', reason));
      expect(asked).toHaveLength(1);
      const [question] = asked;
      expect(question!.where).toBe('private');

      if (!h.can.buttons) {
        // Where nothing can be pressed, the change is made at once, and nothing asks.
        expect(question!.text).toContain(`${CASE}: wanted → arrested`);
        expect(question!.text).not.toContain('Confirm');
        expect(await cases()).toEqual([{ status: 'arrested', outcome_note: reason.trim() }]);
        expect(await queryRows(t.db, sql`select count(*)::int as n from case_events where kind = 'status_changed'`)).toEqual([{ n: 1 }]);
        void viewer;
        return;
      }
      expect(question!.text).toContain('Nothing changes until you press Confirm.');
      const [confirm, cancel] = question!.buttons;
      expect([confirm!.label, cancel!.label]).toEqual(['Confirm', 'Cancel']);
      expect(await cases()).toEqual([{ status: 'wanted', outcome_note: null }]);

      // A viewer's press is checked like a typed command: refused, to the presser alone.
      const refused = await h.press(viewer, confirm!);
      expect(refused).toHaveLength(1);
      expect(refused[0]).toMatchObject({ where: 'private', replaces: !h.can.refusalsApart });
      expect(refused[0]!.text).toContain('needs the');
      h.specific.refusal?.(refused[0]!);
      expect(await cases()).toEqual([{ status: 'wanted', outcome_note: null }]);

      // Answered in place of the question, without its buttons.
      const confirmed = await h.press(lead, confirm!);
      expect(confirmed).toHaveLength(1);
      expect(confirmed[0]).toMatchObject({ where: 'private', replaces: true, buttons: [] });
      expect(confirmed[0]!.text).toContain(`${CASE}: wanted → arrested`);
      expect(await cases()).toEqual([{ status: 'arrested', outcome_note: reason.trim() }]);

      // The same button again does nothing more, and says so.
      const again = await h.press(lead, confirm!);
      expect(again).toHaveLength(1);
      expect(again[0]).toMatchObject({ where: 'private', replaces: !h.can.refusalsApart });
      expect(again[0]!.text).toContain('expired or was already used');
      h.specific.refusal?.(again[0]!);
      expect(await queryRows(t.db, sql`select count(*)::int as n from case_events where kind = 'status_changed'`)).toEqual([{ n: 1 }]);
    });

    it('changes nothing when a status change is cancelled', async () => {
      const lead = await h.join({ handle: 'lead', role: 'lead', unit: 'CA-HN' });
      const [question] = await h.send(lead, status('surrendered'));
      if (!h.can.buttons) {
        // Nothing to cancel: without buttons the change is made as typed, with no question first.
        expect(question!.buttons).toEqual([]);
        expect(question!.text).not.toContain('Cancel');
        expect(await cases()).toEqual([{ status: 'surrendered', outcome_note: null }]);
        expect(await queryRows(t.db, sql`select command, outcome::text, detail from audit_log order by id`)).toEqual([
          { command: 'case status', outcome: 'ok', detail: null },
        ]);
        return;
      }
      const [confirm, cancel] = question!.buttons;
      const cancelled = await h.press(lead, cancel!);
      expect(cancelled).toHaveLength(1);
      expect(cancelled[0]).toMatchObject({ where: 'private', replaces: true });
      expect(cancelled[0]!.text).toContain('Cancelled; nothing changed.');
      const late = await h.press(lead, confirm!);
      expect(late).toHaveLength(1);
      expect(late[0]).toMatchObject({ where: 'private', replaces: !h.can.refusalsApart });
      expect(late[0]!.text).toContain('expired or was already used');
      h.specific.refusal?.(late[0]!);
      expect(await cases()).toEqual([{ status: 'wanted', outcome_note: null }]);
      expect(await queryRows(t.db, sql`select command, outcome::text, detail from audit_log order by id`)).toEqual([
        { command: 'case status', outcome: 'ok', detail: null },
        { command: 'case status', outcome: 'ok', detail: 'cancelled' },
        { command: 'action', outcome: 'invalid', detail: 'invalid' },
      ]);
    });

    it("cuts a long answer to a change at the platform's limit of messages, the last saying so", async () => {
      const answer = await h.send(duc, { line: 'bulk private', command: 'bulk private' }, atLeast(h.messagesPerAnswer));
      for (const m of answer) {
        expect(m.where).toBe('private');
        h.withinLimits(m);
      }
      expect(answer[0]!.text).toContain('Mục 1:');
      if (h.messagesPerAnswer === Number.POSITIVE_INFINITY) {
        // No limit: the whole answer, uncut.
        expect(answer).toHaveLength(1);
        expect(answer[0]!.text).toContain('Mục 40:');
        return;
      }
      expect(answer).toHaveLength(h.messagesPerAnswer);
      const total = Number(h.cutNote!.exec(answer.at(-1)!.text)?.[1]);
      expect(total).toBeGreaterThan(h.messagesPerAnswer);
      expect(all(answer)).not.toContain('Mục 40:');
    });

    it('shows a longer answer to a change whole in a few messages, and cuts one too long for the limit', async () => {
      const admin = await h.join({ handle: 'admin', role: 'admin', unit: 'C06' });
      const schedules = (n: number) =>
        t.db.execute(sql`insert into digest_schedules (cron, time_zone, target_platform, target_channel, period, locale)
          select '0 7 * * 1', 'Asia/Ho_Chi_Minh', 'discord', '3000000000000000001', 'ytd', 'vi' from generate_series(1, ${n})`);
      // `digest schedule` may change data, so it cannot be asked again for another page.
      const list: Request = { line: 'digest schedule list', command: 'digest schedule', options: { action: 'list' } };

      await schedules(90);
      const short = await h.send(admin, list);
      expect(short.length).toBeLessThanOrEqual(h.messagesPerAnswer);
      for (const m of short) expect(m).toMatchObject({ where: 'private', replaces: false, buttons: [] });
      h.specific.changeAnswer?.(short);
      for (let id = 1; id <= 90; id++) expect(all(short)).toContain(`${h.bullet} #${id} · 0 7 `);
      expect(all(short)).not.toContain('was cut');

      // 800 schedules are more than any platform's limit of messages holds.
      await schedules(710);
      const long = await h.send(admin, list, atLeast(h.messagesPerAnswer));
      for (const m of long) expect(m).toMatchObject({ where: 'private', replaces: false });
      expect(long[0]!.text).toContain(`${h.bullet} #1 · 0 7 `);
      if (h.messagesPerAnswer === Number.POSITIVE_INFINITY) {
        expect(long).toHaveLength(1);
        expect(long[0]!.text).toContain(`${h.bullet} #800 · 0 7 `);
        return;
      }
      expect(long).toHaveLength(h.messagesPerAnswer);
      h.specific.changeAnswer?.(long);
      const total = Number(h.cutNote!.exec(long.at(-1)!.text)?.[1]);
      expect(total).toBeGreaterThan(h.messagesPerAnswer);
    });

    it("posts a meeting's agenda to the channel, while a personal answer stays private", async () => {
      const lead = await h.join({ handle: 'lead', role: 'lead', unit: 'CA-HN' });
      const agenda = await h.send(
        lead,
        {
          line: `meeting start Giao ban tuần ${h.mention}`,
          command: 'meeting start',
          options: { title: `Giao ban tuần ${h.mention}` },
        },
        // Posted, the agenda comes with a note to the invoker.
        atLeast(h.can.channelAnswers === 'post' ? 2 : 1),
      );
      const inChannel = agenda.filter((m) => m.where === 'channel');
      const toInvoker = agenda.filter((m) => m.where === 'private');
      switch (h.can.channelAnswers) {
        case 'reply':
          // The reply itself is in the channel.
          expect(agenda).toHaveLength(1);
          expect(inChannel).toHaveLength(1);
          break;
        case 'post':
          // Posted there, and the invoker is told so privately.
          expect(inChannel).toHaveLength(1);
          expect(toInvoker).toHaveLength(1);
          expect(agenda).toHaveLength(2);
          h.specific.postedNote?.(toInvoker[0]!);
          break;
        case 'terminal':
          // The terminal is the channel: shown there, to its operator.
          expect(agenda).toHaveLength(1);
          expect(toInvoker).toHaveLength(1);
          break;
      }
      const [shown] = h.can.channelAnswers === 'terminal' ? toInvoker : inChannel;
      if (h.can.channelAnswers !== 'terminal') expect(shown!.to).toBe(h.channel);
      expect(shown!.text).toContain('Meeting: Giao ban tuần');
      expect(shown!.text).not.toContain('Nguyễn Văn Đức');
      expect(h.live(shown!)).toEqual([]);

      const personal = await h.send(lead, { line: `case show ${CASE}`, command: 'case show', options: { code: CASE } });
      expect(personal).toHaveLength(1);
      expect(personal[0]!.where).toBe('private');
      expect(personal[0]!.text).toContain('Nguyễn Văn Đức');
    });

    it('posts a long answer for the channel there whole, every part once and in order', async () => {
      const answer = await h.send(duc, { line: 'bulk channel', command: 'bulk channel' }, { until: (a) => all(a).includes('Mục 40:') });
      const shown = answer.filter((m) => (h.can.channelAnswers === 'terminal' ? m.where === 'private' : m.where === 'channel'));
      for (const m of shown) {
        if (h.can.channelAnswers !== 'terminal') expect(m.to).toBe(h.channel);
        h.withinLimits(m);
      }
      const text = all(shown);
      const order = Array.from({ length: 40 }, (_, i) => text.indexOf(`Mục ${i + 1}:`));
      expect(order.every((at) => at >= 0)).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
      for (let i = 1; i <= 40; i++) expect(text.split(`Mục ${i}:`)).toHaveLength(2);
      h.specific.channelWhole?.(answer);
    });

    it('keeps personal data out of the channel: a personal answer that asks for the channel stays private, and the poster refuses it', async () => {
      const answer = await h.send(duc, { line: 'bulk leak', command: 'bulk leak' });
      expect(answer).toHaveLength(1);
      expect(answer[0]!.where).toBe('private');
      expect(answer[0]!.text).toContain('Nguyễn Văn Đức');
      expect(h.posts()).toEqual([]);

      const personal: ReplyMessage = { personal: true, blocks: [{ kind: 'text', text: 'Nguyễn Văn Đức' }] };
      if (!h.poster) {
        // No poster: nothing leaves the terminal.
        expect(h.can.channelAnswers).toBe('terminal');
        return;
      }
      await expect(h.poster.post(h.channel, personal)).rejects.toThrow(/personal data/);
      expect(h.posts()).toEqual([]);
      expect(h.postAttempts(h.channel)).toEqual([]);
    });

    it('posts a digest with its chart to a channel, waiting out a 429, delivered once', async () => {
      const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
      const digest: ReplyMessage = {
        personal: false,
        title: `Tiến độ ${h.mention}`,
        blocks: [{ kind: 'fields', fields: [{ label: 'Bắt, đầu thú, thanh loại', value: '42' }] }],
      };
      if (!h.can.rateLimits) {
        // No rate limits, and no poster: the console answers each command once, written at once.
        expect(h.poster).toBeUndefined();
        expect(h.can.fileUpload).toBe(false);
        expect(await h.send(duc, { line: `case show ${CASE}`, command: 'case show', options: { code: CASE } })).toHaveLength(1);
        return;
      }
      h.rateLimitNext();
      await h.poster!.post(h.channel, digest, [{ name: 'digest.png', data: png, contentType: 'image/png', description: 'Biểu đồ' }]);
      const attempts = h.postAttempts(h.channel);
      expect(attempts).toHaveLength(2);
      expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(h.can.rateLimits.minGapMs);
      const posted = h.posts();
      expect(posted).toHaveLength(1);
      expect(posted[0]).toMatchObject({ where: 'channel', to: h.channel });
      expect(posted[0]!.text).toContain('Tiến độ');
      expect(h.live(posted[0]!)).toEqual([]);
      expect(h.can.fileUpload).toBe(true);
      expect(h.uploads(h.channel)).toEqual([{ bytes: png, title: 'Biểu đồ' }]);
      h.specific.digestPosted?.(posted[0]!, png);
    });

    it('messages a member directly, where the platform has direct messages', async () => {
      const message: ReplyMessage = {
        personal: false,
        title: 'Bạn có 1 việc quá hạn',
        blocks: [{ kind: 'list', items: [`#1 · ${CASE}`] }],
      };
      if (!h.can.directMessages) {
        // Without them the scheduler has no poster to ask, and reminders wait for a platform that has one.
        expect(h.poster?.direct).toBeUndefined();
        return;
      }
      await h.poster!.direct!(duc.userId, message);
      const posted = h.posts();
      expect(posted).toHaveLength(1);
      expect(posted[0]).toMatchObject({ where: 'direct', to: duc.userId });
      expect(posted[0]!.text).toContain('Bạn có 1 việc quá hạn');
    });
  });
}
