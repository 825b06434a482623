import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { leaseNext, markMessageDelivered, enqueueMessages, releaseLeases } from '../../src/repositories/outbox.ts';
import { openTestDb, type TestDb } from '../support/db.ts';

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
beforeEach(() => t.reset());
afterAll(() => t.close());

const NOW = new Date('2026-03-02T08:00:00Z');
const LEASE_MS = 10 * 60_000;
const message = (key: string) => ({
  key,
  platform: 'slack' as const,
  target: { channelId: 'C0CASES001' },
  message: { personal: false, blocks: [{ kind: 'text' as const, text: key }] },
});

describe('releasing the outbox leases of a stopping instance', () => {
  it("lets go of this instance's undelivered messages only, so another instance takes them at once", async () => {
    await enqueueMessages(t.db, { messages: [message('a'), message('b'), message('c')], now: NOW });
    const mine = await leaseNext(t.db, { platforms: ['slack'], owner: 'stopping', now: NOW, leaseMs: LEASE_MS });
    await leaseNext(t.db, { platforms: ['slack'], owner: 'other', now: NOW, leaseMs: LEASE_MS });
    const delivered = await leaseNext(t.db, { platforms: ['slack'], owner: 'stopping', now: NOW, leaseMs: LEASE_MS });
    expect(await markMessageDelivered(t.db, { id: delivered!.id, owner: 'stopping', partsDone: 1, at: NOW })).toBe(true);
    // Before: every message is leased or delivered, and nothing is left to take for ten minutes.
    expect(await leaseNext(t.db, { platforms: ['slack'], owner: 'next', now: NOW, leaseMs: LEASE_MS })).toBeUndefined();

    expect(await releaseLeases(t.db, { owner: 'stopping' })).toBe(1);

    const taken = await leaseNext(t.db, { platforms: ['slack'], owner: 'next', now: NOW, leaseMs: LEASE_MS });
    expect(taken).toMatchObject({ id: mine!.id, key: mine!.key, leaseOwner: 'next' });
    // The other instance's lease and the delivered message are untouched.
    expect(await leaseNext(t.db, { platforms: ['slack'], owner: 'next', now: NOW, leaseMs: LEASE_MS })).toBeUndefined();
    expect(await releaseLeases(t.db, { owner: 'stopping' })).toBe(0);
  });
});
