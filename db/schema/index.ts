export * from './enums.ts';
export * from './units.ts';
export * from './members.ts';
export * from './cases.ts';
export * from './case-events.ts';
export * from './follow-ups.ts';
export * from './audit-log.ts';
export * from './processed-invocations.ts';
