import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.ts';
import { generateCaseBatches } from '../../src/services/demo-data.ts';
import { seedDemo } from '../../src/services/demo-seed.ts';
import { findCaseByCode } from '../../src/repositories/cases.ts';
import { cli as runCli } from '../support/cli.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { createTestCore } from '../support/core.ts';

let t: TestDb;
const NOW = new Date('2024-09-01T03:00:00Z');
const TZ = 'Asia/Ho_Chi_Minh';

beforeAll(async () => {
  t = await openTestDb();
});
beforeEach(() => t.reset());
afterAll(() => t.close());

const units = [
  { id: 1, code: 'A', weight: 1 },
  { id: 2, code: 'B', weight: 3 },
];

describe('demo data', () => {
  it('is the same for the same seed and differs for another', () => {
    const gen = (seed: number) => [...generateCaseBatches({ seed, count: 500, units, today: '2024-09-01', batchSize: 200 })].flat();
    expect(gen(7)).toEqual(gen(7));
    expect(gen(7)).not.toEqual(gen(8));
    expect([...generateCaseBatches({ seed: 7, count: 500, units, today: '2024-09-01', batchSize: 200 })].map((b) => b.length)).toEqual([
      200, 200, 100,
    ]);
  });

  it('covers every status and danger level, with Vietnamese diacritics and consistent dates', () => {
    const generated = [...generateCaseBatches({ seed: 1, count: 2000, units, today: '2024-09-01' })].flat();
    const all = generated.map((g) => g.fields);
    expect(new Set(all.map((c) => c.status))).toEqual(new Set(['wanted', 'arrested', 'surrendered', 'cleared', 'cancelled']));
    expect(new Set(all.map((c) => c.danger))).toEqual(new Set(['normal', 'dangerous', 'especially_dangerous']));
    expect(all.filter((c) => /[ăâđêôơưĂÂĐÊÔƠƯ]/.test(c.fullName)).length).toBeGreaterThan(1000);
    for (const c of all) {
      expect(c.wantedOn <= '2024-09-01').toBe(true);
      if (c.status === 'wanted') expect(c.resolvedOn).toBeNull();
      else expect(c.resolvedOn! >= c.wantedOn && c.resolvedOn! <= '2024-09-01').toBe(true);
    }
    expect(new Set(all.map((c) => c.code)).size).toBe(all.length);
  });

  it('gives every case its wanted decision and every resolved one a cancellation on or after the outcome, never after today', () => {
    const generated = [...generateCaseBatches({ seed: 1, count: 2000, units, today: '2024-09-01' })].flat();
    for (const { fields: c, decisions } of generated) {
      expect(decisions[0]).toMatchObject({ kind: 'wanted', decidedOn: c.wantedOn, number: expect.stringMatching(/^\d+\/QĐ-/) });
      expect(decisions[0]!.authority).toBeTruthy();
      if (c.status === 'wanted') {
        expect(decisions).toHaveLength(1);
        continue;
      }
      expect(decisions).toHaveLength(2);
      expect(decisions[1]).toMatchObject({ kind: 'cancellation', number: expect.stringMatching(/^\d+\/QĐ-ĐN$/) });
      expect(decisions[1]!.decidedOn >= c.resolvedOn! && decisions[1]!.decidedOn <= '2024-09-01').toBe(true);
    }
    // Some are issued days after the outcome, as they are in practice.
    expect(generated.some((g) => g.decisions[1] && g.decisions[1].decidedOn > g.fields.resolvedOn!)).toBe(true);
  });
});

describe('seed --demo', () => {
  it('loads units, members, cases with events, and follow-ups, some overdue', async () => {
    const result = await seedDemo(t.db, { cases: 400, seed: 327, now: NOW, timeZone: TZ });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({ units: 10, members: 9, cases: 400 });
    expect(result.value.followUps.overdue).toBeGreaterThan(0);
    expect(result.value.followUps.done).toBeGreaterThan(0);
    expect(await findCaseByCode(t.db, 'TN-2021-000001')).toMatchObject({ fullName: 'Nguyễn Văn Đức', searchKey: 'nguyen van duc duc seo' });
    const [events] = await queryRows<{ created: number; changed: number; resolved: number }>(
      t.db,
      sql`select count(*) filter (where kind = 'created')::int as created,
                 count(*) filter (where kind = 'status_changed')::int as changed,
                 (select count(*)::int from cases where status <> 'wanted') as resolved
          from case_events`,
    );
    expect(events).toEqual({ created: 400, changed: events!.resolved, resolved: events!.resolved });
    const [documents] = await queryRows<{ wanted: number; resolved_without_cancellation: number; not_seed: number }>(
      t.db,
      sql`select (select count(*)::int from case_decisions where kind = 'wanted') as wanted,
                 (select count(*)::int from cases c where c.status <> 'wanted' and not exists (
                    select 1 from case_decisions d where d.case_id = c.id and d.kind = 'cancellation' and d.decided_on >= c.resolved_on
                 )) as resolved_without_cancellation,
                 (select count(*)::int from case_decisions where actor_label is distinct from 'seed') as not_seed`,
    );
    expect(documents).toEqual({ wanted: 400, resolved_without_cancellation: 0, not_seed: 0 });
    const [details] = await queryRows<{ entries: number; expected: number; not_seed: number; not_latest: number }>(
      t.db,
      sql`select (select count(*)::int from case_details) as entries,
                 (select (count(identifying_marks) + count(criminal_history))::int from cases) as expected,
                 (select count(*)::int from case_details where added_by_label is distinct from 'seed') as not_seed,
                 (select count(*)::int from case_details d join cases c on c.id = d.case_id
                   where d.text is distinct from case when d.kind = 'marks' then c.identifying_marks else c.criminal_history end) as not_latest`,
    );
    expect(details!.entries).toBeGreaterThan(100);
    expect(details).toEqual({ entries: details!.expected, expected: details!.expected, not_seed: 0, not_latest: 0 });
  });

  it('makes the README example work: lead.hn finds Nguyễn Văn Đức without diacritics', async () => {
    await seedDemo(t.db, { cases: 300, seed: 327, now: NOW, timeZone: TZ });
    const { reply } = await createTestCore(t.db).run('lead.hn', 'case find nguyen van duc');
    expect(reply.text.split('\n')[1]).toContain('TN-2021-000001 · Nguyễn Văn Đức (Đức Sẹo)');
  });

  it('refuses a database that already has cases, through the CLI, with exit 1', async () => {
    const io = { db: t.handle, env: { CASEDESK_LOCALE: 'en', TZ } };
    const first = await runCli(['seed', '--demo', '--cases', '200'], io);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Demo data loaded: 10 units, 9 members, 200 cases');
    expect(first.stdout).toContain('lead.hn');
    const second = await runCli(['seed', '--demo', '--cases', '200'], io);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('already has cases');
    const bad = await runCli(['seed', '--demo', '--cases', 'many'], io);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--cases must be a whole number');
  });
});
