import { describe, expect, it } from 'vitest';
import { plural } from '../../src/i18n/plural.ts';

describe('plural', () => {
  it('puts one English noun in the singular and every other count in the plural', () => {
    expect(plural('en', 1, 'follow-up', 'follow-ups')).toBe('1 follow-up');
    expect(plural('en', 0, 'follow-up', 'follow-ups')).toBe('0 follow-ups');
    expect(plural('en', 2, 'day late', 'days late')).toBe('2 days late');
  });

  it("formats the count in the locale's number format", () => {
    expect(plural('en', 12345, 'case', 'cases')).toBe('12,345 cases');
    expect(plural('vi', 12345, 'hồ sơ', 'hồ sơ')).toBe('12.345 hồ sơ');
    expect(plural('vi', 1, 'việc', 'việc')).toBe('1 việc');
  });
});
