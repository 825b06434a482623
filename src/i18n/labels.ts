import type { AuditOutcome, CaseDetailKind, CaseStatus, Danger, DecisionKind, FollowUpStatus, MemberRole } from '../../db/schema/index.ts';
import { text, type Text } from './text.ts';

export const STATUS_LABEL: Record<CaseStatus, Text> = {
  wanted: text('đang truy nã', 'wanted'),
  arrested: text('đã bắt', 'arrested'),
  surrendered: text('đã đầu thú', 'surrendered'),
  cleared: text('đã thanh loại', 'cleared'),
  cancelled: text('đã đình nã', 'cancelled'),
};

export const DECISION_LABEL: Record<DecisionKind, Text> = {
  wanted: text('Quyết định truy nã', 'Wanted decision'),
  cancellation: text('Quyết định đình nã', 'Cancellation decision'),
};

/** An identifying-detail entry's kind, as it reads in a sentence: "thêm đặc điểm nhận dạng". */
export const DETAIL_KIND_LABEL: Record<CaseDetailKind, Text> = {
  marks: text('đặc điểm nhận dạng', 'identifying marks'),
  history: text('tiền án, tiền sự', 'criminal history'),
};

export const DANGER_LABEL: Record<Danger, Text> = {
  normal: text('thường', 'normal'),
  dangerous: text('nguy hiểm', 'dangerous'),
  especially_dangerous: text('đặc biệt nguy hiểm', 'especially dangerous'),
};

/** The roles as nouns, as they read in a sentence: "vai trò của bạn là người xem". */
export const ROLE_LABEL: Record<MemberRole, Text> = {
  viewer: text('người xem', 'viewer'),
  officer: text('cán bộ', 'officer'),
  lead: text('chỉ huy', 'lead'),
  admin: text('quản trị viên', 'admin'),
  auditor: text('giám sát viên', 'auditor'),
};

export const AUDIT_OUTCOME_LABEL: Record<AuditOutcome, Text> = {
  ok: text('thành công', 'ok'),
  denied: text('bị từ chối', 'denied'),
  invalid: text('không hợp lệ', 'invalid'),
  error: text('lỗi', 'error'),
};

export const FOLLOW_UP_STATUS_LABEL: Record<FollowUpStatus, Text> = {
  open: text('đang mở', 'open'),
  done: text('đã xong', 'done'),
  cancelled: text('đã hủy', 'cancelled'),
};
