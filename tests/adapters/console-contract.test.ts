import { expect } from 'vitest';
import { renderText } from '../../src/adapters/console/render.ts';
import { consoleInvocation } from '../../src/adapters/console/console-adapter.ts';
import { invocationContract, rendererContract } from './contract.ts';

// A terminal acts on nothing but control sequences, which the renderer strips.
rendererContract({
  name: 'console',
  render: renderText,
  visible: (text) => text,
  live: (text) => [...text.matchAll(/\u001b/g)].map((m) => m[0]),
  withinLimits: (text) => expect(typeof text).toBe('string'),
});

// What the operator typed, line by line.
const LINES = {
  find: 'case find nguyen van duc',
  assign: 'followup add TN-2021-000001 duc.nv “Xác minh nơi ở cũ” due:2026-12-01',
  status: 'case status TN-2021-000001 arrested on:2026-11-20 bắt tại nhà',
  done: 'followup done 7',
} as const;
invocationContract({
  name: 'console',
  actor: { platform: 'console', workspaceId: 'local', userId: 'lead.hn' },
  channel: { id: 'console', isPrivate: true },
  map: (request) => consoleInvocation('lead.hn', LINES[request]),
});
