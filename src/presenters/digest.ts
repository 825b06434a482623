import type { Block, ReplyMessage } from '../domain/reply.ts';
import { formatDate, formatNumber, formatPercent, text, type Locale, type Text } from '../i18n/text.ts';
import { plural } from '../i18n/plural.ts';
import { changeOnLastYear, type Digest, type Figures } from '../services/digest/digest.ts';
import { describePeriod, type Period } from '../services/digest/period.ts';
import type { RevisedFigure, Revision } from '../services/digest/revision.ts';

/**
 * The same period a year earlier as the comparison names it: "cùng kỳ năm 2023" / "the same period
 * of 2023", or its dates when it runs over two years.
 */
function sameTime(locale: Locale, lastYear: number | Period): string {
  if (typeof lastYear === 'number') return text(`cùng kỳ năm ${lastYear}`, `the same period of ${lastYear}`)(locale);
  const p = lastYear;
  if (p.from.slice(0, 4) === p.to.slice(0, 4)) return sameTime(locale, Number(p.from.slice(0, 4)));
  return text(
    `cùng kỳ (từ ${formatDate('vi', p.from)} đến ${formatDate('vi', p.to)})`,
    `the same period a year earlier (${formatDate('en', p.from)} to ${formatDate('en', p.to)})`,
  )(locale);
}

/**
 * "tăng 12,4% so với cùng kỳ năm 2023" / "up 12.4% on the same period of 2023", "giảm" / "down"
 * when lower, "gần như không đổi" / "almost unchanged" when the change rounds to 0,0%, and plain
 * words when last year had none. `period` names the comparison: a year, or last year's period.
 */
export function comparisonText(locale: Locale, current: number, lastYear: number, period: number | Period): string {
  const change = changeOnLastYear(current, lastYear);
  const then = sameTime(locale, period);
  if (change === null) {
    return current === 0
      ? text(`không có; ${then} cũng không có`, `none; none in ${then} either`)(locale)
      : text(`${then} không có trường hợp nào`, `none in ${then}`)(locale);
  }
  if (change === 0) return text(`bằng ${then}`, `the same as in ${then}`)(locale);
  // Shown to one decimal: a change that rounds to nothing is not "up 0%".
  if (Math.abs(change) < 0.0005) return text(`gần như không đổi so với ${then}`, `almost unchanged on ${then}`)(locale);
  const pct = formatPercent(locale, Math.abs(change));
  return change > 0
    ? text(`tăng ${pct} so với ${then}`, `up ${pct} on ${then}`)(locale)
    : text(`giảm ${pct} so với ${then}`, `down ${pct} on ${then}`)(locale);
}

/** One unit's figures on one line: "CA-HN Công an TP Hà Nội: Bắt, vận động đầu thú, thanh loại 178 (…); còn truy nã 606; …". */
function unitLine(locale: Locale, name: string, u: Figures): string {
  const n = (value: number) => formatNumber(locale, value);
  const r = u.resolved;
  return text(
    `${name}: Bắt, vận động đầu thú, thanh loại ${n(r.total)} (bắt ${n(r.arrested)}, đầu thú ${n(r.surrendered)}, thanh loại ${n(r.cleared)}; ` +
      `nguy hiểm, đặc biệt nguy hiểm ${n(r.dangerous)}); còn truy nã ${n(u.outstanding.total)}; ` +
      `QĐ truy nã ${n(u.decisions.wanted)}, QĐ đình nã ${n(u.decisions.cancelled)}; hồ sơ mới ${n(u.newCases)}`,
    `${name}: ${n(r.total)} resolved (arrested ${n(r.arrested)}, surrendered ${n(r.surrendered)}, cleared ${n(r.cleared)}; ` +
      `${n(r.dangerous)} dangerous); ${n(u.outstanding.total)} still wanted; ` +
      `${plural('en', u.decisions.wanted, 'wanted decision', 'wanted decisions')}, ${plural('en', u.decisions.cancelled, 'cancellation', 'cancellations')}; ` +
      `${plural('en', u.newCases, 'new case', 'new cases')}`,
  )(locale);
}

const REVISED_LABEL: Record<RevisedFigure, Text> = {
  arrested: text('bắt', 'arrested'),
  surrendered: text('đầu thú', 'surrendered'),
  cleared: text('thanh loại', 'cleared'),
  wantedDecisions: text('QĐ truy nã', 'wanted decisions'),
  cancellations: text('đình nã', 'cancellations'),
  outstanding: text('còn truy nã', 'still wanted'),
};

/**
 * "Số liệu kỳ trước (tháng 8/2026) đã điều chỉnh: bắt +3 (ghi muộn), đình nã +1 (đính chính)." /
 * "Previous period revised (August 2026): arrested +3 (late entries), cancellations +1 (corrections)."
 */
export function revisionLine(locale: Locale, revision: Revision): string {
  const signed = (value: number) => `${value > 0 ? '+' : '−'}${formatNumber(locale, Math.abs(value))}`;
  const late = text('ghi muộn', 'late entries')(locale);
  const corrected = text('đính chính', 'corrections')(locale);
  const items = revision.changes.map((c) => {
    const why = c.corrected === 0 ? late : c.late === 0 ? corrected : `${signed(c.late)} ${late}, ${signed(c.corrected)} ${corrected}`;
    return `${REVISED_LABEL[c.figure](locale)} ${signed(c.delta)} (${why})`;
  });
  const period = describePeriod(locale, revision.period);
  return text(
    `Số liệu kỳ trước (${period}) đã điều chỉnh: ${items.join(', ')}.`,
    `Previous period revised (${period}): ${items.join(', ')}.`,
  )(locale);
}

/**
 * "Rà soát hồ sơ: 40 hồ sơ được rà soát trong kỳ (3 còn thiếu); hiện 12 hồ sơ đến hạn trong 30 ngày
 * tới, 5 quá hạn." The period's reviews from their dates; due and overdue as of the digest's day.
 */
function validationLine(d: Digest, locale: Locale): Block {
  const v = d.validations;
  const n = (value: number) => formatNumber(locale, value);
  return {
    kind: 'text',
    text: text(
      `Rà soát hồ sơ: ${n(v.validated)} hồ sơ được rà soát trong kỳ (${n(v.incomplete)} còn thiếu); hiện ${n(v.due)} hồ sơ đến hạn rà soát, ${n(v.overdue)} quá hạn.`,
      `Validation: ${plural('en', v.validated, 'record', 'records')} validated in the period (${n(v.incomplete)} incomplete); ${n(v.due)} due for validation now, ${n(v.overdue)} overdue.`,
    )(locale),
  };
}

/**
 * "Kiểm tra hồ sơ: 2 cuộc đã kết thúc (CAQ-HK 1, CA-HCM 1); 25 hồ sơ được kiểm tra, 3 phát hiện." /
 * "Records inspections: 2 held (CAQ-HK 1, CA-HCM 1); 25 records inspected, 3 findings."
 */
function inspectionsLine(locale: Locale, held: Digest['inspections']): string {
  const n = (value: number) => formatNumber(locale, value);
  const sum = (key: 'held' | 'sampled' | 'findings') => held.reduce((total, u) => total + u[key], 0);
  const byUnit = held.map((u) => `${u.unitCode} ${n(u.held)}`).join(', ');
  return text(
    `Kiểm tra hồ sơ: ${n(sum('held'))} cuộc đã kết thúc (${byUnit}); ${n(sum('sampled'))} hồ sơ được kiểm tra, ${n(sum('findings'))} phát hiện.`,
    `Records inspections: ${n(sum('held'))} held (${byUnit}); ${plural('en', sum('sampled'), 'record', 'records')} inspected, ${plural('en', sum('findings'), 'finding', 'findings')}.`,
  )(locale);
}

/** The digest as a platform-neutral message: aggregates and case codes only, for a channel. */
export function digestMessage(d: Digest, locale: Locale, options: { since?: 'digest' | 'meeting' } = {}): ReplyMessage {
  const t = (vi: string, en: string) => text(vi, en)(locale);
  const sinceMeeting = options.since === 'meeting';
  const n = (value: number) => formatNumber(locale, value);
  const scope = d.scope ? ` · ${d.scope.code}` : '';
  const period = describePeriod(locale, d.period);
  const title = t(`Tiến độ công tác truy nã: ${period}${scope}`, `Wanted-persons work: ${period}${scope}`);
  const r = d.resolved;
  const comparison = comparisonText(locale, r.total, d.resolvedLastYear.total, d.lastYear);
  const none = r.total === 0 ? (d.resolvedLastYear.total === 0 ? comparison : t(`không có, ${comparison}`, `none, ${comparison}`)) : null;
  const headline =
    none !== null
      ? t(`Bắt, vận động đầu thú, thanh loại: ${none}.`, `Arrested, persuaded to surrender or cleared from the list: ${none}.`)
      : t(
          `Bắt, vận động đầu thú, thanh loại ${n(r.total)} đối tượng truy nã (bắt ${n(r.arrested)}, đầu thú ${n(r.surrendered)}, thanh loại ${n(r.cleared)}), ` +
            `${comparison}; trong đó ${n(r.dangerous)} đối tượng nguy hiểm và đặc biệt nguy hiểm (${n(r.especiallyDangerous)} đặc biệt nguy hiểm).`,
          `Arrested, persuaded to surrender or cleared from the list: ${plural('en', r.total, 'wanted subject', 'wanted subjects')} ` +
            `(arrested ${n(r.arrested)}, surrendered ${n(r.surrendered)}, cleared ${n(r.cleared)}), ` +
            `${comparison}; ${n(r.dangerous)} of them dangerous or especially dangerous (${n(r.especiallyDangerous)} especially dangerous).`,
        );

  const blocks: Block[] = [{ kind: 'text', text: headline }];
  if (d.revision) blocks.push({ kind: 'text', tone: 'muted', text: revisionLine(locale, d.revision) });
  blocks.push({
    kind: 'fields',
    fields: [
      { label: t('Quyết định truy nã ban hành', 'Wanted decisions issued'), value: n(d.decisions.wanted) },
      { label: t('Quyết định đình nã', 'Cancellation decisions'), value: n(d.decisions.cancelled) },
      {
        label: t(`Còn truy nã đến ${formatDate('vi', d.period.to)}`, `Still wanted on ${formatDate('en', d.period.to)}`),
        value: n(d.outstanding.total),
      },
      {
        label: t('Trong đó nguy hiểm, đặc biệt nguy hiểm', 'Of them dangerous or especially dangerous'),
        value: t(
          `${n(d.outstanding.dangerous)} (đặc biệt nguy hiểm: ${n(d.outstanding.especiallyDangerous)})`,
          `${n(d.outstanding.dangerous)} (${n(d.outstanding.especiallyDangerous)} especially dangerous)`,
        ),
      },
      { label: t('Hồ sơ mới', 'New cases recorded'), value: n(d.newCases) },
      { label: t('Lượt tra cứu đã trả lời', 'Lookups answered'), value: n(d.lookups) },
    ],
  });
  blocks.push({
    kind: 'fields',
    fields: [
      { label: t('Hồ sơ đang truy nã còn thiếu ảnh', 'Wanted now, without a photo'), value: n(d.completeness.missingPhoto) },
      { label: t('Thiếu đặc điểm nhận dạng', 'Without identifying marks'), value: n(d.completeness.missingMarks) },
      { label: t('Thiếu tiền án, tiền sự', 'Without criminal history'), value: n(d.completeness.missingHistory) },
      { label: t('Ảnh bổ sung trong kỳ', 'Photos added in the period'), value: n(d.added.photos) },
      { label: t('Đặc điểm nhận dạng bổ sung trong kỳ', 'Identifying marks added in the period'), value: n(d.added.marks) },
      { label: t('Tiền án, tiền sự bổ sung trong kỳ', 'Criminal history added in the period'), value: n(d.added.history) },
    ],
  });
  blocks.push(validationLine(d, locale));
  if (d.units.length) {
    const items = d.units.map((u) =>
      unitLine(locale, u.own ? t(`${u.code} (trực tiếp)`, `${u.code} (its own cases)`) : `${u.code} ${u.name}`, u),
    );
    if (d.others)
      items.push(
        unitLine(locale, t(`${n(d.others.count)} đơn vị khác`, plural('en', d.others.count, 'other unit', 'other units')), d.others),
      );
    blocks.push({ kind: 'text', text: t('Theo đơn vị:', 'By unit:') }, { kind: 'list', items });
  }
  const k = d.checks;
  if (k.lists > 0 || k.confirmed > 0 || k.overdue > 0 || k.resolvedAfterCheck > 0) {
    blocks.push({
      kind: 'text',
      text: t(
        `Đối chiếu danh sách: ${n(k.lists)} danh sách, ${n(k.rowsChecked)} lượt đối tượng; ${n(k.candidates)} kết quả có thể trùng; ` +
          `${n(k.confirmed)} được đơn vị quản lý hồ sơ xác nhận; ${n(k.resolvedAfterCheck)} đối tượng bắt, đầu thú, thanh loại sau đối chiếu; ` +
          `${n(k.overdue)} yêu cầu xác nhận quá hạn.`,
        `List checks: ${plural('en', k.lists, 'list', 'lists')}, ${plural('en', k.rowsChecked, 'person', 'people')} checked; ${plural('en', k.candidates, 'candidate hit', 'candidate hits')}; ` +
          `${n(k.confirmed)} confirmed by the owning units; ${plural('en', k.resolvedAfterCheck, 'subject', 'subjects')} arrested, surrendered or cleared after a check; ` +
          `${plural('en', k.overdue, 'confirmation', 'confirmations')} overdue.`,
      ),
    });
  }
  if (d.inspections.length) blocks.push({ kind: 'text', text: inspectionsLine(locale, d.inspections) });
  const f = d.followUps;
  blocks.push({
    kind: 'text',
    text: t(
      `Việc được giao: ${n(f.opened)} giao mới, ${n(f.completed)} hoàn thành trong kỳ; ${n(f.overdue)} đang quá hạn.`,
      `Follow-ups: ${n(f.opened)} assigned, ${n(f.completed)} completed in the period; ${n(f.overdue)} overdue now.`,
    ),
  });
  if (f.oldestOverdue.length) {
    const items = f.oldestOverdue.map(
      (o) => `#${o.id}${o.caseCode ? ` · ${o.caseCode}` : ''} · ${o.assignee} · ${t('hạn', 'due')} ${formatDate(locale, o.dueOn)}`,
    );
    const more = f.overdue - f.oldestOverdue.length;
    if (more > 0)
      items.push(t(`… và ${n(more)} việc quá hạn khác (followup list overdue)`, `… and ${n(more)} more (followup list overdue)`));
    blocks.push({ kind: 'list', items });
  }
  if (d.sinceLast) {
    const s = d.sinceLast;
    blocks.push({
      kind: 'text',
      tone: 'muted',
      text: t(
        `${sinceMeeting ? 'Từ cuộc họp trước' : 'Từ báo cáo trước'}: ${n(s.statusChanges)} thay đổi trạng thái, ${n(s.newCases)} hồ sơ mới.`,
        `${sinceMeeting ? 'Since the previous meeting' : 'Since the last digest'}: ${plural('en', s.statusChanges, 'status change', 'status changes')}, ${plural('en', s.newCases, 'new case', 'new cases')}.`,
      ),
    });
  }
  blocks.push({
    kind: 'text',
    tone: 'muted',
    text: t(
      `Nhật ký kiểm toán đến ${d.auditHead} (đối chiếu: casedesk audit verify --head ${d.auditHead}).`,
      `Audit log up to ${d.auditHead} (to check: casedesk audit verify --head ${d.auditHead}).`,
    ),
  });
  return { personal: false, toChannel: true, title, blocks };
}

/** The description of the digest's chart, for screen readers and platforms that show it. */
export const digestChartDescription = text('Biểu đồ kết quả theo tháng', 'Results by month');
