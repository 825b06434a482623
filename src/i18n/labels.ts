import type { AuditOutcome, CaseStatus, Danger, DecisionKind, FollowUpStatus, MemberRole } from '../../db/schema/index.ts';
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

export const DANGER_LABEL: Record<Danger, Text> = {
  normal: text('thường', 'normal'),
  dangerous: text('nguy hiểm', 'dangerous'),
  especially_dangerous: text('đặc biệt nguy hiểm', 'especially dangerous'),
};

export const ROLE_LABEL: Record<MemberRole, Text> = {
  viewer: text('xem', 'viewer'),
  officer: text('cán bộ', 'officer'),
  lead: text('chỉ huy', 'lead'),
  admin: text('quản trị', 'admin'),
  auditor: text('giám sát', 'auditor'),
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
