import type { CaseStatus, Danger } from '../../db/schema/index.ts';
import { addDays, type IsoDate } from '../domain/dates.ts';
import type { DecisionInput } from '../repositories/case-decisions.ts';
import type { CaseFields } from '../repositories/cases.ts';

/**
 * Synthetic wanted-list data: realistic Vietnamese names with diacritics, aliases, decisions and
 * outcomes, deterministic for a seed. Streams in batches so that a benchmark can write a million
 * cases without holding them in memory.
 */

/** mulberry32: a small, fast, well-distributed 32-bit PRNG; the same seed gives the same data. */
export function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
    /** Picks by weight: `[['a', 3], ['b', 1]]` gives `a` three times as often. */
    weighted: <T>(items: ReadonlyArray<readonly [T, number]>): T => {
      const total = items.reduce((sum, [, w]) => sum + w, 0);
      let roll = next() * total;
      for (const [item, weight] of items) {
        roll -= weight;
        if (roll < 0) return item;
      }
      return items[items.length - 1]![0];
    },
  };
}
export type Random = ReturnType<typeof createRandom>;

// Family names weighted roughly by their frequency in Vietnam.
const FAMILY: ReadonlyArray<readonly [string, number]> = [
  ['Nguyễn', 38],
  ['Trần', 11],
  ['Lê', 9.5],
  ['Phạm', 7],
  ['Hoàng', 5],
  ['Huỳnh', 3],
  ['Phan', 4.5],
  ['Vũ', 3.9],
  ['Võ', 3],
  ['Đặng', 2.1],
  ['Bùi', 2],
  ['Đỗ', 1.4],
  ['Hồ', 1.3],
  ['Ngô', 1.3],
  ['Dương', 1],
  ['Lý', 0.5],
  ['Đinh', 0.6],
  ['Trịnh', 0.5],
  ['Lương', 0.4],
  ['Mai', 0.4],
  ['Tạ', 0.3],
  ['Cao', 0.3],
  ['Lâm', 0.3],
  ['Quách', 0.2],
];
const MIDDLE_MALE = ['Văn', 'Đức', 'Minh', 'Hữu', 'Quốc', 'Thanh', 'Công', 'Xuân', 'Đình', 'Ngọc', 'Trọng', 'Quang', 'Mạnh', 'Tiến'];
const MIDDLE_FEMALE = ['Thị', 'Ngọc', 'Thu', 'Thanh', 'Kim', 'Minh', 'Phương', 'Hồng', 'Thúy', 'Mỹ'];
const GIVEN_MALE = [
  'Đức',
  'Dũng',
  'Hùng',
  'Tuấn',
  'Long',
  'Nam',
  'Hải',
  'Sơn',
  'Thắng',
  'Cường',
  'Quân',
  'Đạt',
  'Huy',
  'Khánh',
  'Phong',
  'Tùng',
  'Bình',
  'Trung',
  'Hiếu',
  'Toàn',
  'Việt',
  'Hoàng',
  'Thành',
  'Tâm',
  'Lâm',
  'Đông',
  'Định',
  'Độ',
  'Khoa',
  'Lực',
  'Mạnh',
  'Nghĩa',
  'Phúc',
  'Quý',
  'Tài',
  'Thịnh',
  'Vinh',
  'Kiên',
  'Hưng',
  'Đăng',
  'Tiến',
  'Hậu',
  'Chiến',
  'Giang',
];
const GIVEN_FEMALE = [
  'Hoa',
  'Lan',
  'Hương',
  'Mai',
  'Hằng',
  'Trang',
  'Linh',
  'Ngọc',
  'Thảo',
  'Phương',
  'Hà',
  'Yến',
  'Nhung',
  'Đào',
  'Dung',
  'Loan',
  'Oanh',
  'Vân',
  'Thủy',
  'Quyên',
  'Tuyết',
  'Hạnh',
  'Huyền',
  'Diệp',
  'Ánh',
  'Liên',
  'Nga',
  'Xuân',
];
const NICKNAMES = [
  'Tèo',
  'Tí',
  'Tủn',
  'Bờm',
  'Cò',
  'Hùng Sẹo',
  'Long Đen',
  'Nam Lùn',
  'Tuấn Còi',
  'Hải Bánh',
  'Sơn Râu',
  'Đức Mập',
  'Dũng Trọc',
  'Cường Ba Đao',
  'Quân Xăm',
  'Bình Kiểm',
  'Phong Sún',
  'Tâm Đen',
  'Ba Mập',
  'Út Lì',
];
const PROVINCES = [
  'Hà Nội',
  'TP Hồ Chí Minh',
  'Hải Phòng',
  'Đà Nẵng',
  'Cần Thơ',
  'Nghệ An',
  'Thanh Hóa',
  'Hà Tĩnh',
  'Quảng Ninh',
  'Bắc Giang',
  'Thái Bình',
  'Nam Định',
  'Đắk Lắk',
  'Gia Lai',
  'Lâm Đồng',
  'Khánh Hòa',
  'Bình Dương',
  'Đồng Nai',
  'An Giang',
  'Kiên Giang',
  'Sơn La',
  'Điện Biên',
  'Lào Cai',
  'Hòa Bình',
  'Quảng Nam',
  'Bình Định',
  'Tây Ninh',
];
const CHARGES: ReadonlyArray<readonly [string, Danger, number]> = [
  ['Giết người (Điều 123 BLHS)', 'especially_dangerous', 3],
  ['Cướp tài sản (Điều 168 BLHS)', 'dangerous', 6],
  ['Mua bán trái phép chất ma túy (Điều 251 BLHS)', 'dangerous', 10],
  ['Tàng trữ trái phép chất ma túy (Điều 249 BLHS)', 'normal', 8],
  ['Lừa đảo chiếm đoạt tài sản (Điều 174 BLHS)', 'normal', 14],
  ['Trộm cắp tài sản (Điều 173 BLHS)', 'normal', 16],
  ['Cố ý gây thương tích (Điều 134 BLHS)', 'normal', 10],
  ['Lạm dụng tín nhiệm chiếm đoạt tài sản (Điều 175 BLHS)', 'normal', 6],
  ['Đánh bạc (Điều 321 BLHS)', 'normal', 5],
  ['Hiếp dâm (Điều 141 BLHS)', 'especially_dangerous', 2],
  ['Mua bán người (Điều 150 BLHS)', 'especially_dangerous', 1],
  ['Bắt cóc nhằm chiếm đoạt tài sản (Điều 169 BLHS)', 'especially_dangerous', 1],
  ['Cưỡng đoạt tài sản (Điều 170 BLHS)', 'dangerous', 3],
  ['Vận chuyển trái phép chất ma túy (Điều 250 BLHS)', 'dangerous', 4],
];
const AUTHORITIES = ['Cơ quan CSĐT', 'Cơ quan ANĐT', 'Viện KSND', 'Tòa án nhân dân'];
const MARKS = [
  'Sẹo dài ở má trái',
  'Hình xăm rồng ở cánh tay phải',
  'Nốt ruồi trên cằm',
  'Răng cửa bị mẻ',
  'Mất ngón út tay trái',
  'Tóc xoăn, da ngăm',
];
const HISTORY = [
  '01 tiền án về tội trộm cắp tài sản',
  '02 tiền án về ma túy',
  'Nhiều tiền sự về gây rối trật tự công cộng',
  'Chưa có tiền án',
];

export interface DemoUnit {
  id: number;
  code: string;
  /** Relative share of cases the unit owns. */
  weight: number;
}

/** A decision of a synthetic case, before the case has an id. */
export type DemoDecision = Pick<DecisionInput, 'kind' | 'number' | 'decidedOn' | 'authority'>;

/** A synthetic case and its decision documents. */
export interface DemoCase {
  fields: CaseFields;
  /** Its wanted decision, then the cancellation decision of its outcome when it has one. */
  decisions: DemoDecision[];
}

const iso = (d: Date) => d.toISOString().slice(0, 10);

/**
 * One synthetic case. `sequence` makes the code unique; everything else comes from `random`. A
 * resolved case has its cancellation decision (đình nã), issued on the outcome's day or a few days
 * after, never after `today`.
 */
export function generateCase(random: Random, sequence: number, units: readonly DemoUnit[], today: IsoDate): DemoCase {
  const female = random.chance(0.12);
  const family = random.weighted(FAMILY);
  const middle = random.pick(female ? MIDDLE_FEMALE : MIDDLE_MALE);
  const given = random.pick(female ? GIVEN_FEMALE : GIVEN_MALE);
  const fullName = random.chance(0.15)
    ? `${family} ${middle} ${random.pick(female ? MIDDLE_FEMALE : MIDDLE_MALE)} ${given}`
    : `${family} ${middle} ${given}`;
  const aliases = random.chance(0.3) ? [random.pick(NICKNAMES)] : [];
  const [charges, danger] = weightedCharge(random);
  const unit = random.weighted(units.map((u) => [u, u.weight] as const));
  // Wanted over the last six years; outcomes, when any, over the last three.
  const todayMs = Date.parse(`${today}T00:00:00Z`);
  const wantedOn = iso(new Date(todayMs - random.int(10, 6 * 365) * 86_400_000));
  const status: CaseStatus = random.weighted([
    ['wanted', 58],
    ['arrested', 20],
    ['surrendered', 12],
    ['cleared', 6],
    ['cancelled', 4],
  ] as const);
  let resolvedOn: IsoDate | null = null;
  if (status !== 'wanted') {
    const earliest = Math.max(Date.parse(`${wantedOn}T00:00:00Z`), todayMs - 3 * 365 * 86_400_000);
    resolvedOn = iso(new Date(earliest + Math.floor(random.next() * (todayMs - earliest))));
  }
  const year = wantedOn.slice(0, 4);
  const birthYear = Number(today.slice(0, 4)) - random.int(18, 65);
  const fields: CaseFields = {
    code: `TN-${year}-${String(sequence).padStart(6, '0')}`,
    fullName,
    aliases,
    birthYear,
    gender: female ? 'female' : 'male',
    nationalId: random.chance(0.85)
      ? String(random.int(1, 96)).padStart(3, '0') + String(random.int(0, 999_999_999)).padStart(9, '0')
      : null,
    hometown: `${random.pick(['Xã', 'Phường', 'Thị trấn'])} ${random.pick(GIVEN_MALE)} ${random.pick(['Đông', 'Tây', 'Nam', 'Bắc', 'Thượng', 'Hạ'])}, ${random.pick(PROVINCES)}`,
    charges,
    danger,
    unitId: unit.id,
    wantedOn,
    status,
    resolvedOn,
    outcomeNote:
      status === 'wanted'
        ? null
        : random.pick([
            'Bắt theo quyết định truy nã',
            'Ra đầu thú tại cơ quan công an',
            'Thanh loại do đã chết',
            'Đình nã do hết thời hiệu',
            'Bị bắt tại nơi lẩn trốn',
          ]),
    hasPhoto: random.chance(0.8),
    identifyingMarks: random.chance(0.7) ? random.pick(MARKS) : null,
    criminalHistory: random.chance(0.75) ? random.pick(HISTORY) : null,
  };
  // The body that had the subject wanted issues the cancellation too.
  const authority = `${random.pick(AUTHORITIES)} ${random.pick(PROVINCES)}`;
  const decisions: DemoDecision[] = [
    {
      kind: 'wanted',
      number: `${random.int(1, 999)}/QĐ-${random.pick(['CSĐT', 'CSHS', 'ANĐT', 'VKS'])}`,
      decidedOn: wantedOn,
      authority,
    },
  ];
  if (resolvedOn) {
    const issued = addDays(resolvedOn, random.int(0, 10));
    decisions.push({
      kind: 'cancellation',
      number: `${random.int(1, 300)}/QĐ-ĐN`,
      decidedOn: issued > today ? today : issued,
      authority,
    });
  }
  return { fields, decisions };
}

function weightedCharge(random: Random): [string, Danger] {
  const [charge, danger] = random.weighted(CHARGES.map(([c, d, w]) => [[c, d] as const, w] as const));
  return [charge, danger];
}

/**
 * Cases in batches, e.g. for a benchmark: `for (const batch of generateCaseBatches({...})) await writeCaseBatch(db, batch)`.
 * The same seed, units and day give the same cases and decisions.
 */
export function* generateCaseBatches(input: {
  seed: number;
  count: number;
  units: readonly DemoUnit[];
  today: IsoDate;
  batchSize?: number;
  firstSequence?: number;
}): Generator<DemoCase[]> {
  const random = createRandom(input.seed);
  const size = input.batchSize ?? 1000;
  let batch: DemoCase[] = [];
  for (let i = 0; i < input.count; i++) {
    batch.push(generateCase(random, (input.firstSequence ?? 1) + i, input.units, input.today));
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}
