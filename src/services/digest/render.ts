import type { Block, ReplyMessage } from '../../domain/reply.ts';
import { formatDate, formatNumber, formatPercent, type Locale } from '../../i18n/text.ts';
import { plural } from '../../i18n/plural.ts';
import { changeOnLastYear, type Digest, type Figures } from './digest.ts';
import { describePeriod, type Period } from './period.ts';

/**
 * The same period a year earlier as the comparison names it: "cùng kỳ năm 2023" / "the same period
 * of 2023", or its dates when it runs over two years.
 */
function sameTime(locale: Locale, lastYear: number | Period): string {
  const vi = locale === 'vi';
  if (typeof lastYear === 'number') return vi ? `cùng kỳ năm ${lastYear}` : `the same period of ${lastYear}`;
  const p = lastYear;
  if (p.from.slice(0, 4) === p.to.slice(0, 4)) return sameTime(locale, Number(p.from.slice(0, 4)));
  return vi
    ? `cùng kỳ (từ ${formatDate(locale, p.from)} đến ${formatDate(locale, p.to)})`
    : `the same period a year earlier (${formatDate(locale, p.from)} to ${formatDate(locale, p.to)})`;
}

/**
 * "tăng 12,4% so với cùng kỳ năm 2023" / "up 12.4% on the same period of 2023", "giảm" / "down"
 * when lower, "gần như không đổi" / "almost unchanged" when the change rounds to 0,0%, and plain
 * words when last year had none. `period` names the comparison: a year, or last year's period.
 */
export function comparisonText(locale: Locale, current: number, lastYear: number, period: number | Period): string {
  const change = changeOnLastYear(current, lastYear);
  const vi = locale === 'vi';
  const then = sameTime(locale, period);
  if (change === null) {
    return current === 0
      ? vi
        ? `không có; ${then} cũng không có`
        : `none; none in ${then} either`
      : vi
        ? `${then} không có trường hợp nào`
        : `none in ${then}`;
  }
  if (change === 0) return vi ? `bằng ${then}` : `the same as in ${then}`;
  // Shown to one decimal: a change that rounds to nothing is not "up 0%".
  if (Math.abs(change) < 0.0005) return vi ? `gần như không đổi so với ${then}` : `almost unchanged on ${then}`;
  const pct = formatPercent(locale, Math.abs(change));
  return change > 0
    ? vi
      ? `tăng ${pct} so với ${then}`
      : `up ${pct} on ${then}`
    : vi
      ? `giảm ${pct} so với ${then}`
      : `down ${pct} on ${then}`;
}

/** One unit's figures on one line: "CA-HN Công an TP Hà Nội: Bắt, vận động đầu thú, thanh loại 178 (…); còn truy nã 606; …". */
function unitLine(locale: Locale, name: string, u: Figures): string {
  const n = (value: number) => formatNumber(locale, value);
  const r = u.resolved;
  return locale === 'vi'
    ? `${name}: Bắt, vận động đầu thú, thanh loại ${n(r.total)} (bắt ${n(r.arrested)}, đầu thú ${n(r.surrendered)}, thanh loại ${n(r.cleared)}; ` +
        `nguy hiểm, đặc biệt nguy hiểm ${n(r.dangerous)}); còn truy nã ${n(u.outstanding.total)}; ` +
        `QĐ truy nã ${n(u.decisions.wanted)}, QĐ đình nã ${n(u.decisions.cancelled)}; hồ sơ mới ${n(u.newCases)}`
    : `${name}: ${n(r.total)} resolved (arrested ${n(r.arrested)}, surrendered ${n(r.surrendered)}, cleared ${n(r.cleared)}; ` +
        `${n(r.dangerous)} dangerous); ${n(u.outstanding.total)} still wanted; ` +
        `${plural(locale, u.decisions.wanted, 'wanted decision', 'wanted decisions')}, ${plural(locale, u.decisions.cancelled, 'cancellation', 'cancellations')}; ` +
        `${plural(locale, u.newCases, 'new case', 'new cases')}`;
}

/** The digest as a platform-neutral message: aggregates and case codes only, for a channel. */
export function digestMessage(d: Digest, locale: Locale, options: { since?: 'digest' | 'meeting' } = {}): ReplyMessage {
  const vi = locale === 'vi';
  const sinceMeeting = options.since === 'meeting';
  const n = (value: number) => formatNumber(locale, value);
  const scope = d.scope ? ` · ${d.scope.code}` : '';
  const title = vi
    ? `Tiến độ công tác truy nã: ${describePeriod(locale, d.period)}${scope}`
    : `Wanted-persons work: ${describePeriod(locale, d.period)}${scope}`;
  const r = d.resolved;
  const comparison = comparisonText(locale, r.total, d.resolvedLastYear.total, d.lastYear);
  const none =
    r.total === 0 ? (d.resolvedLastYear.total === 0 ? comparison : vi ? `không có, ${comparison}` : `none, ${comparison}`) : null;
  const headline = vi
    ? none !== null
      ? `Bắt, vận động đầu thú, thanh loại: ${none}.`
      : `Bắt, vận động đầu thú, thanh loại ${n(r.total)} đối tượng truy nã (bắt ${n(r.arrested)}, đầu thú ${n(r.surrendered)}, thanh loại ${n(r.cleared)}), ` +
        `${comparison}; trong đó ${n(r.dangerous)} đối tượng nguy hiểm và đặc biệt nguy hiểm (${n(r.especiallyDangerous)} đặc biệt nguy hiểm).`
    : none !== null
      ? `Arrested, persuaded to surrender or cleared from the list: ${none}.`
      : `Arrested, persuaded to surrender or cleared from the list: ${plural(locale, r.total, 'wanted subject', 'wanted subjects')} ` +
        `(arrested ${n(r.arrested)}, surrendered ${n(r.surrendered)}, cleared ${n(r.cleared)}), ` +
        `${comparison}; ${n(r.dangerous)} of them dangerous or especially dangerous (${n(r.especiallyDangerous)} especially dangerous).`;

  const blocks: Block[] = [{ kind: 'text', text: headline }];
  blocks.push({
    kind: 'fields',
    fields: [
      { label: vi ? 'Quyết định truy nã ban hành' : 'Wanted decisions issued', value: n(d.decisions.wanted) },
      { label: vi ? 'Quyết định đình nã' : 'Cancellation decisions', value: n(d.decisions.cancelled) },
      {
        label: vi ? `Còn truy nã đến ${formatDate(locale, d.period.to)}` : `Still wanted on ${formatDate(locale, d.period.to)}`,
        value: n(d.outstanding.total),
      },
      {
        label: vi ? 'Trong đó nguy hiểm, đặc biệt nguy hiểm' : 'Of them dangerous or especially dangerous',
        value: vi
          ? `${n(d.outstanding.dangerous)} (đặc biệt nguy hiểm: ${n(d.outstanding.especiallyDangerous)})`
          : `${n(d.outstanding.dangerous)} (${n(d.outstanding.especiallyDangerous)} especially dangerous)`,
      },
      { label: vi ? 'Hồ sơ mới' : 'New cases recorded', value: n(d.newCases) },
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
    const items = d.units.map((u) =>
      unitLine(locale, u.own ? (vi ? `${u.code} (trực tiếp)` : `${u.code} (its own cases)`) : `${u.code} ${u.name}`, u),
    );
    if (d.others)
      items.push(
        unitLine(locale, vi ? `${n(d.others.count)} đơn vị khác` : plural(locale, d.others.count, 'other unit', 'other units'), d.others),
      );
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
    const items = f.oldestOverdue.map((o) =>
      vi
        ? `#${o.id}${o.caseCode ? ` · ${o.caseCode}` : ''} · ${o.assignee} · hạn ${formatDate(locale, o.dueOn)}`
        : `#${o.id}${o.caseCode ? ` · ${o.caseCode}` : ''} · ${o.assignee} · due ${formatDate(locale, o.dueOn)}`,
    );
    const more = f.overdue - f.oldestOverdue.length;
    if (more > 0)
      items.push(vi ? `… và ${n(more)} việc quá hạn khác (followup list overdue)` : `… and ${n(more)} more (followup list overdue)`);
    blocks.push({ kind: 'list', items });
  }
  if (d.sinceLast) {
    blocks.push({
      kind: 'text',
      tone: 'muted',
      text: vi
        ? `${sinceMeeting ? 'Từ cuộc họp trước' : 'Từ báo cáo trước'}: ${n(d.sinceLast.statusChanges)} thay đổi trạng thái, ${n(d.sinceLast.newCases)} hồ sơ mới.`
        : `${sinceMeeting ? 'Since the previous meeting' : 'Since the last digest'}: ${plural(locale, d.sinceLast.statusChanges, 'status change', 'status changes')}, ${plural(locale, d.sinceLast.newCases, 'new case', 'new cases')}.`,
    });
  }
  return { personal: false, toChannel: true, title, blocks };
}
