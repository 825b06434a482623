import { expect } from 'vitest';
import { renderText } from '../../src/adapters/console/render.ts';
import { rendererContract } from './contract.ts';

// A terminal acts on nothing but control sequences, which the renderer strips.
rendererContract({
  name: 'console',
  render: renderText,
  visible: (text) => text,
  live: (text) => [...text.matchAll(/\u001b/g)].map((m) => m[0]),
  withinLimits: (text) => expect(typeof text).toBe('string'),
});
