import type { SuggestContext, Suggestion } from './autocomplete.ts';
import { searchCases } from '../repositories/case-search.ts';

/**
 * Cases the member may see whose code or name starts like what they typed: the suggestions of
 * every case-code or case-search option (`case find`, `case show`, …).
 */
export async function suggestCases(ctx: SuggestContext): Promise<Suggestion[]> {
  const hits = await searchCases(ctx.db, { text: ctx.partial, unitIds: ctx.scope.unitIds, limit: 25 });
  return hits.map((h) => ({ label: `${h.code} · ${h.fullName}${h.birthYear ? ` · ${h.birthYear}` : ''}`, value: h.code }));
}
