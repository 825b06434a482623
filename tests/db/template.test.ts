import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../db/client.ts';
import { migrateDb, pendingMigrations, writePgliteTemplate } from '../../db/migrate.ts';
import { findUnitByCode, insertUnit } from '../../src/repositories/units.ts';
import { migrationCount } from '../support/db.ts';

// The embedded database's first start (see PGLITE_TEMPLATE in db/client.ts): whatever the test run's
// driver, this is about the embedded one, which every fresh machine starts on.
describe('the embedded database template', () => {
  let dir: string;
  let template: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'casedesk-template-'));
    template = join(dir, 'template.tar.gz');
    expect(await writePgliteTemplate(template)).toEqual({ migrations: migrationCount });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts a new data folder with every migration applied, and keeps what is written there', async () => {
    const dataDir = join(dir, 'fresh');
    const first = await createDb({ dataDir, pgliteTemplate: template });
    try {
      expect(await pendingMigrations(first.db)).toBe(0);
      expect(await migrateDb(first)).toEqual({ applied: 0 });
      await insertUnit(first.db, { code: 'C06', name: 'Cục Cảnh sát hình sự', parentId: null });
    } finally {
      await first.close();
    }
    const again = await createDb({ dataDir, pgliteTemplate: template });
    try {
      expect((await findUnitByCode(again.db, 'C06'))?.name).toBe('Cục Cảnh sát hình sự');
    } finally {
      await again.close();
    }
  });

  it('opens a folder that already holds a database as it is, never over it', async () => {
    const dataDir = join(dir, 'existing');
    // Made without a template (the path names no file): PostgreSQL's own set-up, then the migrations.
    const made = await createDb({ dataDir, pgliteTemplate: join(dir, 'none.tar.gz') });
    try {
      expect(await pendingMigrations(made.db)).toBe(migrationCount);
      await migrateDb(made);
      await insertUnit(made.db, { code: 'HN', name: 'Công an Hà Nội', parentId: null });
    } finally {
      await made.close();
    }
    const reopened = await createDb({ dataDir, pgliteTemplate: template });
    try {
      expect((await findUnitByCode(reopened.db, 'HN'))?.name).toBe('Công an Hà Nội');
    } finally {
      await reopened.close();
    }
    expect(existsSync(join(dataDir, 'pgdata', 'PG_VERSION'))).toBe(true);
  });
});
