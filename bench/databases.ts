import postgres from 'postgres';
import { createDb, type DbHandle } from '../db/client.ts';
import { migrateDb } from '../db/migrate.ts';
import { countRows } from '../src/repositories/bench-data.ts';

/**
 * A server database made afresh for a benchmark that writes: a kept one would drift from run to
 * run (versions, events, audit rows) and the figures of two runs would not compare.
 */
export async function freshServerDb(serverUrl: string, input: { name: string; poolMax: number }): Promise<DbHandle> {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${input.name}"`);
    await admin.unsafe(`create database "${input.name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${input.name}`;
  return createDb({ databaseUrl: url.toString(), dataDir: '', databasePoolMax: input.poolMax });
}

/**
 * A server database kept between runs for a benchmark that only reads (loading a million cases
 * takes minutes): made when missing, brought up to the current migrations, and loaded by `load`
 * when it has no case. One with another number of cases is refused rather than topped up.
 */
export async function openKeptServerDb(
  serverUrl: string,
  input: { name: string; cases: number; poolMax: number; load: (handle: DbHandle) => Promise<number> },
): Promise<{ handle: DbHandle; loadSeconds: number | null }> {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    const exists = (await admin`select 1 from pg_database where datname = ${input.name}`).length > 0;
    if (!exists) await admin.unsafe(`create database "${input.name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${input.name}`;
  const handle = await createDb({ databaseUrl: url.toString(), dataDir: '', databasePoolMax: input.poolMax });
  try {
    await migrateDb(handle);
    const n = await countRows(handle.db, { table: 'cases' });
    if (n === input.cases) return { handle, loadSeconds: null };
    if (n !== 0) throw new Error(`${input.name} has ${n} cases, not ${input.cases}: drop it and run again`);
    return { handle, loadSeconds: await input.load(handle) };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
