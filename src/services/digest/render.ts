import type { Block, ReplyMessage } from '../../core/invocation.ts';
import { formatDate, formatNumber, formatPercent, type Locale } from '../../i18n/text.ts';
import { changeOnLastYear, type Digest } from './digest.ts';
import { describePeriod } from './period.ts';

/**
 * "tăng 12,4% so với cùng kỳ năm 2023" / "up 12.4% on the same period of 2023", "giảm" / "down"
 * when lower, and plain words when last year had none.
 */
export function comparisonText(locale: Locale, current: number, lastYear: number, year: number): string {
  const change = changeOnLastYear(current, lastYear);
  const vi = locale === 'vi';
  if (change === null) {
    return current === 0
      ? vi ? `bằng cùng kỳ năm ${year} (không có)` : `none, as in the same period of ${year}`
      : vi ? `cùng kỳ năm ${year} không có trường hợp nào` : `none in the same period of ${year}`;
  }
  if (change === 0) return vi ? `bằng cùng kỳ năm ${year}` : `the same as in the same period of ${year}`;
  const pct = formatPercent(locale, Math.abs(change));
  return change > 0 ? (vi ? `tăng ${pct} so với cùng kỳ năm ${year}` : `up ${pct} on the same period of ${year}`) : vi ? `giảm ${pct} so với cùng kỳ năm ${year}` : `down ${pct} on the same period of ${year}`;
}

/** The digest as a platform-neutral message: aggregates and case codes only, for a channel. */
export function digestMessage(d: Digest, locale: Locale): ReplyMessage {
  const vi = locale === 'vi';
  const n = (value: number) => formatNumber(locale, value);
  const year = Number(d.lastYear.to.slice(0, 4));
  const scope = d.scope ? ` · ${d.scope.code}` : '';
  const title = vi
    ? `Tiến độ công tác truy nã: ${describePeriod(locale, d.period)}${scope}`
    : `Wanted-persons work: ${describePeriod(locale, d.period)}${scope}`;
  const r = d.resolved;
  const headline = vi
    ? `Bắt, vận động đầu thú, thanh loại ${n(r.total)} đối tượng truy nã (bắt ${n(r.arrested)}, đầu thú ${n(r.surrendered)}, thanh loại ${n(r.cleared)}), ` +
      `${comparisonText(locale, r.total, d.resolvedLastYear.total, year)}; trong đó ${n(r.dangerous)} đối tượng nguy hiểm và đặc biệt nguy hiểm (${n(r.especiallyDangerous)} đặc biệt nguy hiểm).`
    : `Arrested, persuaded to surrender or cleared from the list: ${n(r.total)} wanted subjects (arrested ${n(r.arrested)}, surrendered ${n(r.surrendered)}, cleared ${n(r.cleared)}), ` +
      `${comparisonText(locale, r.total, d.resolvedLastYear.total, year)}; ${n(r.dangerous)} of them dangerous or especially dangerous (${n(r.especiallyDangerous)} especially dangerous).`;

  const blocks: Block[] = [{ kind: 'text', text: headline }];
  blocks.push({
    kind: 'fields',
    fields: [
      { label: vi ? 'Quyết định truy nã nhận được' : 'Wanted decisions received', value: n(d.decisions.wanted) },
      { label: vi ? 'Quyết định đình nã' : 'Cancellation decisions', value: n(d.decisions.cancelled) },
      { label: vi ? `Còn truy nã đến ${formatDate(locale, d.period.to)}` : `Still wanted on ${formatDate(locale, d.period.to)}`, value: n(d.outstanding.total) },
      {
        label: vi ? 'Trong đó nguy hiểm, đặc biệt nguy hiểm' : 'Of them dangerous, especially dangerous',
        value: `${n(d.outstanding.dangerous)} · ${n(d.outstanding.especiallyDangerous)}`,
      },
      { label: vi ? 'Hồ sơ mới cập nhật' : 'New cases recorded', value: n(d.newCases) },
      { label: vi ? 'Lượt tra cứu đã trả lời' : 'Lookups answered', value: n(d.lookups) },
    ],
  });
  blocks.push({
    kind: 'fields',
    fields: [
      { label: vi ? 'Hồ sơ còn thiếu ảnh' : 'Outstanding without a photo', value: n(d.completeness.missingPhoto) },
      { label: vi ? 'Thiếu đặc điểm nhận dạng' : 'Without identifying marks', value: n(d.completeness.missingMarks) },
      { label: vi ? 'Thiếu tiền án, tiền sự' : 'Without criminal history', value: n(d.completeness.missingHistory) },
    ],
  });
  if (d.units.length) {
    const items = d.units.map((u) => {
      const name = u.own ? (vi ? `${u.code} (trực tiếp)` : `${u.code} (its own cases)`) : `${u.code} ${u.name}`;
      return vi ? `${name}: ${n(u.resolved)} bắt, đầu thú, thanh loại; còn ${n(u.outstanding)}` : `${name}: ${n(u.resolved)} resolved; ${n(u.outstanding)} still wanted`;
    });
    if (d.others) {
      items.push(
        vi
          ? `${n(d.others.count)} đơn vị khác: ${n(d.others.resolved)} bắt, đầu thú, thanh loại; còn ${n(d.others.outstanding)}`
          : `${n(d.others.count)} other units: ${n(d.others.resolved)} resolved; ${n(d.others.outstanding)} still wanted`,
      );
    }
    blocks.push({ kind: 'text', text: vi ? 'Theo đơn vị:' : 'By unit:' }, { kind: 'list', items });
  }
  const f = d.followUps;
  blocks.push({
    kind: 'text',
    text: vi
      ? `Việc được giao: ${n(f.opened)} giao mới, ${n(f.completed)} hoàn thành trong kỳ; ${n(f.overdue)} đang quá hạn.`
      : `Follow-ups: ${n(f.opened)} assigned, ${n(f.completed)} completed in the period; ${n(f.overdue)} overdue now.`,
  });
  if (f.oldestOverdue.length) {
    blocks.push({
      kind: 'list',
      items: f.oldestOverdue.map((o) =>
        vi
          ? `#${o.id}${o.caseCode ? ` · ${o.caseCode}` : ''} · ${o.assignee} · hạn ${formatDate(locale, o.dueOn)}`
          : `#${o.id}${o.caseCode ? ` · ${o.caseCode}` : ''} · ${o.assignee} · due ${formatDate(locale, o.dueOn)}`,
      ),
    });
  }
  if (d.sinceLast) {
    blocks.push({
      kind: 'text',
      tone: 'muted',
      text: vi
        ? `Từ báo cáo trước: ${n(d.sinceLast.statusChanges)} thay đổi trạng thái, ${n(d.sinceLast.newCases)} hồ sơ mới.`
        : `Since the last digest: ${n(d.sinceLast.statusChanges)} status changes, ${n(d.sinceLast.newCases)} new cases.`,
    });
  }
  return { personal: false, toChannel: true, title, blocks };
}

/** Markdown for the record: the message's blocks, with the text escaped. */
export function digestMarkdown(d: Digest, locale: Locale): string {
  const message = digestMessage(d, locale);
  // Markdown that could act: emphasis, code, links, HTML, tables; and a `#` or `>` starting a line.
  const md = (value: string) => value.replace(/([\\`*_[\]<>|~])/g, '\\$1').replace(/^([#>])/gm, '\\$1');
  const out = [`## ${md(message.title ?? '')}`, ''];
  for (const block of message.blocks) {
    if (block.kind === 'text') out.push(block.tone === 'muted' ? `_${md(block.text)}_` : md(block.text), '');
    else if (block.kind === 'list') out.push(...block.items.map((i) => `- ${md(i)}`), '');
    else if (block.kind === 'fields') out.push(...block.fields.map((f) => `- **${md(f.label)}**: ${md(f.value)}`), '');
    else out.push('```', block.text, '```', '');
  }
  return out.join('\n');
}
