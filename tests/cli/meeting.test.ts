import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../support/cli.ts';
import { createTestCore } from '../support/core.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { makeMember, makeUnitTree } from '../factories/index.ts';

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
  await makeUnitTree(t.db);
  await makeMember(t.db, { handle: 'lead', role: 'lead', unit: 'CA-HN' });
  const core = createTestCore(t.db, { now: new Date('2024-09-02T02:00:00Z') });
  await core.run('lead', 'meeting start Giao ban tháng 9');
  await core.run('lead', 'meeting conclude Hoàn thiện quy chế phối hợp unit:CAQ-HK due:2024-09-20');
  await core.run('lead', 'meeting conclude Các đơn vị tăng cường vận động đầu thú');
  await core.run('lead', 'meeting end');
});
afterAll(() => t.close());

const env = { CASEDESK_LOCALE: 'vi', LOG_LEVEL: 'silent' };

describe('casedesk meeting minutes', () => {
  it('prints the minutes for the record as text, Markdown or JSON', async () => {
    const md = await cli(['meeting', 'minutes', '1', '--format', 'markdown'], { db: t.handle, env });
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^## Biên bản họp #1: Giao ban tháng 9\n/);
    expect(md.stdout).toContain('1. Hoàn thiện quy chế phối hợp → CAQ-HK (hạn 20/09/2024) · #1');
    expect(md.stdout).toContain('1. Các đơn vị tăng cường vận động đầu thú');
    const json = JSON.parse((await cli(['meeting', 'minutes', '1', '--format', 'json'], { db: t.handle, env })).stdout) as {
      attendees: string[];
      items: Array<{ kind: string }>;
    };
    expect(json.attendees).toEqual(['lead']);
    expect(json.items.map((i) => i.kind)).toEqual(['directive', 'conclusion']);
    expect((await cli(['meeting', 'minutes', '1'], { db: t.handle, env })).stdout).toMatch(
      /Thời gian:\s+02\/09\/2024 09:00 – 02\/09\/2024 09:00/,
    );
    expect(await cli(['meeting', 'minutes', '9'], { db: t.handle, env })).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('Không có cuộc họp #9.'),
    });
  });
});
