import { parseIsoDate } from '../domain/dates.ts';
import { text, type Text } from './text.ts';

/**
 * Why `value` is not a date {@link parseIsoDate} takes, with the fix, for an option or a command-line
 * flag called `name`: a day that does not exist (`2026-02-30`, `30/02/2026`), a real day written
 * another way (`31/08/2024` → `2024-08-31`), or no date at all.
 *
 * @example dateProblemText(() => '--from', '2026-02-30')('en') // "--from: 2026-02-30 is not a real date (February 2026 has 28 days)."
 */
export function dateProblemText(name: Text, value: string): Text {
  const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(value);
  if (dmy) {
    const iso = `${dmy[3]}-${dmy[2]!.padStart(2, '0')}-${dmy[1]!.padStart(2, '0')}`;
    if (parseIsoDate(iso)) {
      return (l) =>
        text(
          `${name(l)}: hãy viết ngày theo dạng YYYY-MM-DD, ví dụ ${iso} thay cho ${value}.`,
          `${name(l)}: write the date as YYYY-MM-DD, e.g. ${iso} for ${value}.`,
        )(l);
    }
    return (l) =>
      text(
        `${name(l)}: ngày ${value} không tồn tại${monthNote('vi', Number(dmy[3]), Number(dmy[2]))}; hãy viết ngày có thật theo dạng YYYY-MM-DD.`,
        `${name(l)}: ${value} is not a real date${monthNote('en', Number(dmy[3]), Number(dmy[2]))}; write a real date as YYYY-MM-DD.`,
      )(l);
  }
  const ymd = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (ymd) {
    const [year, month] = [Number(ymd[1]), Number(ymd[2])];
    if (year < 1900 || year > 2100) {
      return (l) => text(`${name(l)}: năm ${year} nằm ngoài khoảng 1900–2100.`, `${name(l)}: the year ${year} is outside 1900–2100.`)(l);
    }
    return (l) =>
      text(
        `${name(l)}: ngày ${value} không tồn tại${monthNote('vi', year, month)}.`,
        `${name(l)}: ${value} is not a real date${monthNote('en', year, month)}.`,
      )(l);
  }
  return (l) =>
    text(
      `${name(l)}: "${value}" không phải là ngày; hãy viết theo dạng YYYY-MM-DD, ví dụ 2024-08-31.`,
      `${name(l)}: "${value}" is not a date; write it as YYYY-MM-DD, e.g. 2024-08-31.`,
    )(l);
}

const MONTHS_EN = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** `: February 2026 has 28 days` for a real month, nothing for a month that is not one (13). */
function monthNote(locale: 'vi' | 'en', year: number, month: number): string {
  if (month < 1 || month > 12) return locale === 'vi' ? ` (không có tháng ${month})` : ` (there is no month ${month})`;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return locale === 'vi' ? ` (tháng ${month}/${year} có ${days} ngày)` : ` (${MONTHS_EN[month - 1]} ${year} has ${days} days)`;
}
