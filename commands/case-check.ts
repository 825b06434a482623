import { unitOption } from '../src/core/common-options.ts';
import { defineCommand } from '../src/core/command.ts';
import { fail, ok } from '../src/domain/result.ts';
import { formatNumber, text } from '../src/i18n/text.ts';
import { checkResultCsv, checkSummaryMessage, HIT_MESSAGES } from '../src/presenters/checks.ts';
import { CHECK_FILE_LIMITS, readCheckFile } from '../src/services/check-file.ts';
import { sha256Hex } from '../src/services/checks.ts';

const MB = CHECK_FILE_LIMITS.bytes / (1024 * 1024);

export default defineCommand({
  name: 'case check',
  nameVi: 'đối-chiếu',
  aliases: ['check'],
  description: text(
    'Đối chiếu một danh sách (CSV, Excel) với toàn bộ hồ sơ truy nã; kết quả gửi đơn vị quản lý hồ sơ xác nhận',
    'Check a list of people (CSV, Excel) against the whole wanted list; hits go to the owning units to confirm',
  ),
  minRole: 'officer',
  writes: true,
  options: [
    {
      name: 'file',
      nameVi: 'tệp',
      labelVi: 'tệp danh sách',
      type: 'file',
      positional: true,
      required: true,
      placeholder: 'FILE',
      description: text(
        `tệp CSV hoặc .xlsx, tối đa ${MB} MB và ${formatNumber('vi', CHECK_FILE_LIMITS.rows)} dòng, có cột họ tên`,
        `a CSV or .xlsx file, at most ${MB} MB and ${formatNumber('en', CHECK_FILE_LIMITS.rows)} rows, with a full-name column`,
      ),
    },
    {
      name: 'priority',
      nameVi: 'mức-độ',
      labelVi: 'mức ưu tiên',
      type: 'choice',
      choices: [
        { value: 'routine', label: text('thường (trả lời trong 1 giờ)', 'routine (answer within an hour)'), aliases: ['thường', 'thuong'] },
        {
          value: 'urgent',
          label: text('khẩn: người đang bị giữ (10 phút)', 'urgent: the person is held (10 minutes)'),
          aliases: ['khẩn', 'khan'],
        },
      ],
      description: text('routine (mặc định) hoặc urgent khi người đang bị giữ', 'routine (default), or urgent when the person is held'),
    },
    unitOption(text('đơn vị đối chiếu (mặc định: đơn vị của bạn)', 'the unit checking the list (default: yours)')),
  ],
  async run(ctx) {
    const l = ctx.locale;
    if (!ctx.canReplyPrivately) {
      return fail(
        'invalid',
        text(
          'Kết quả đối chiếu có thông tin cá nhân nên chỉ trả lời riêng. Hãy chạy lệnh ở nơi câu trả lời chỉ mình bạn thấy.',
          'A check holds personal data, so it is answered privately only. Run it where the answer is for you alone.',
        ),
      );
    }
    const file = ctx.openFile(ctx.options.file);
    if (!file) {
      return fail(
        'invalid',
        text(
          'Không nhận được tệp. Trên Discord, đính kèm tệp vào tùy chọn file; trên Slack, chọn tệp trong hộp thoại của /case check; trên dòng lệnh, ghi đường dẫn tới tệp.',
          'No file came with the command. On Discord, attach it to the file option; on Slack, choose it in the /case check form; on the command line, give its path.',
        ),
      );
    }
    const tooLarge = text(
      `Tệp ${file.name} lớn hơn ${MB} MB. Chia danh sách thành nhiều tệp nhỏ hơn rồi đối chiếu từng tệp.`,
      `${file.name} is larger than ${MB} MB. Split the list into smaller files and check each.`,
    );
    if (file.size !== null && file.size > CHECK_FILE_LIMITS.bytes) return fail('invalid', tooLarge);
    const data = await file.read(CHECK_FILE_LIMITS.bytes);
    if (data === 'too_large') return fail('invalid', tooLarge);
    if (data === 'unreadable') {
      return fail(
        'invalid',
        text(
          `Không đọc được tệp ${file.name}: tệp không còn hoặc tải xuống bị lỗi. Gửi lại tệp; trên dòng lệnh, kiểm tra đường dẫn.`,
          `Could not read ${file.name}: it is gone, or the download failed. Send it again; on the command line, check the path.`,
        ),
      );
    }
    const read = await readCheckFile({ name: file.name, data, today: ctx.today });
    if (!read.ok) return fail('invalid', read.error.text);
    const list = read.file;
    const total = list.rows.length;
    const n = (locale: 'vi' | 'en', value: number) => formatNumber(locale, value);
    const checked = await ctx.services.runCheck({
      member: ctx.member,
      scope: ctx.scope,
      unitCode: ctx.options.unit,
      people: list.rows,
      skipped: list.warnings.filter((w) => w.skipped).length,
      fileName: file.name,
      fileSha256: sha256Hex(data),
      priority: ctx.options.priority ?? 'routine',
      now: ctx.now,
      invocation: {
        id: ctx.invocation.id,
        platform: ctx.invocation.platform,
        workspaceId: ctx.invocation.workspaceId,
        userId: ctx.invocation.userId,
      },
      locale: l,
      timeZone: ctx.timeZone,
      messages: HIT_MESSAGES,
      progress: (done, all) =>
        ctx.progress(done, all, text(`Đang đối chiếu… ${n('vi', done)} / ${n('vi', all)}`, `Checking… ${n('en', done)} / ${n('en', all)}`)),
    });
    if (!checked.ok) return checked;
    const outcome = checked.value;
    ctx.touch(...new Set(outcome.rows.flatMap((r) => r.candidates.map((c) => c.case.code))));
    const c = outcome.check;
    ctx.noteAudit({
      check: {
        id: c.id,
        file: c.fileName,
        sha256: c.fileSha256,
        bytes: data.length,
        rows: total,
        skipped: c.skipped,
        candidates: c.candidates,
        certain: c.certain,
        requests: c.requests,
      },
    });
    const columns = [list.columns.fullName, list.columns.birth, list.columns.nationalId, list.columns.hometown].filter(Boolean).join(', ');
    return ok(
      checkSummaryMessage(outcome, {
        locale: l,
        warnings: list.warnings,
        columns,
        file: checkResultCsv(outcome, { locale: l, extraColumns: list.extraColumns }),
      }),
    );
  },
});
