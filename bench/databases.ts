import postgres from 'postgres';
import { createDb, type DbHandle } from '../db/client.ts';

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
