import type { Command } from 'commander';
import { databaseErrorCode, databaseErrorMessage } from '../../db/client.ts';
import { applyMigrations, withMigrationLock } from '../../db/migrate.ts';
import {
  APPEND_ONLY_TABLES,
  applyAppDatabaseRights,
  applyAppObjectRights,
  CHAIN_HEAD_TABLE,
  checkAppRole,
  connectionRights,
  ensureCanActAs,
  ensureLoginRole,
  grantOwnerRights,
  isRoleName,
  transferOwnership,
  type AppRoleCheck,
  type AppRoleProblem,
} from '../../db/roles.ts';
import { text, type Text } from '../i18n/text.ts';
import { CliFailure, type CliContext } from './context.ts';

/** `casedesk db migrate` and `casedesk db roles`. */
export function registerDbCommands(program: Command, ctx: CliContext): void {
  const dbCommand = program.command('db').description(ctx.describe('quản trị cơ sở dữ liệu', 'database administration'));
  dbCommand
    .command('migrate')
    .description(
      ctx.describe(
        'áp dụng các bản cập nhật cấu trúc cơ sở dữ liệu (migration; không làm gì nếu đã áp dụng hết); có DATABASE_MIGRATION_URL thì chạy bằng vai trò đó',
        'apply the database migrations (a no-op when they are applied already); with DATABASE_MIGRATION_URL, as that role',
      ),
    )
    .action(async () => {
      await ctx.withDb(async (handle, { applied }) => {
        ctx.print(
          ctx.say(
            text(
              `Đã áp dụng ${applied} bản cập nhật cấu trúc cơ sở dữ liệu (migration); cơ sở dữ liệu đã ở phiên bản mới nhất (${handle.driver}, ${handle.location}).`,
              `Applied ${applied} migration(s); the database is up to date (${handle.driver}, ${handle.location}).`,
            ),
          ),
        );
      });
    });
  dbCommand
    .command('roles')
    .description(
      ctx.describe(
        'tạo hoặc kiểm tra hai vai trò trên máy chủ PostgreSQL: vai trò sở hữu, dùng để áp dụng migration, và vai trò bot dùng để ' +
          'kết nối, không sở hữu gì và không sửa được nhật ký kiểm toán (chạy bằng superuser hoặc vai trò có CREATEROLE)',
        'create or check the two roles on a PostgreSQL server: an owner that applies the migrations, and the role the bot ' +
          'connects as, which owns nothing and cannot change the audit log (run with a superuser or a role with CREATEROLE)',
      ),
    )
    .option(
      '--owner <name>',
      ctx.describe('vai trò sở hữu các bảng và áp dụng migration', 'the role that owns the tables and applies the migrations'),
      'casedesk_owner',
    )
    .option('--app <name>', ctx.describe('vai trò bot dùng để kết nối', 'the role the bot connects as'), 'casedesk_app')
    .action(async (opts: { owner: string; app: string }) => {
      await setUpRoles(ctx, opts);
    });
}

async function setUpRoles(ctx: CliContext, opts: { owner: string; app: string }): Promise<void> {
  if (ctx.driver === 'pglite') {
    ctx.print(
      ctx.say(
        text(
          'Cơ sở dữ liệu nhúng (PGlite) không có vai trò: chỉ một tiến trình, một người dùng. Vai trò chỉ có trên máy chủ PostgreSQL (DATABASE_URL).',
          'The embedded database (PGlite) has no roles: one process, one user. Roles exist only on a PostgreSQL server (DATABASE_URL).',
        ),
      ),
    );
    return;
  }
  const { owner, app } = opts;
  for (const [option, name] of [
    ['--owner', owner],
    ['--app', app],
  ] as const) {
    if (!isRoleName(name)) {
      ctx.fail(
        text(
          `${option} "${name}" không phải tên vai trò hợp lệ: chữ thường, chữ số và _, bắt đầu bằng chữ hoặc _, tối đa 63 ký tự, không bắt đầu bằng pg_.`,
          `${option} "${name}" is not a valid role name: lower-case letters, digits and _, starting with a letter or _, at most 63 characters, not starting with pg_.`,
        ),
      );
    }
  }
  if (owner === app) {
    ctx.fail(text('--owner và --app phải là hai vai trò khác nhau.', '--owner and --app must be two different roles.'));
  }
  const say = (t: Text) => ctx.print(ctx.say(t));
  await ctx.withDb(
    async (handle) => {
      const url = handle.url;
      if (!url) throw new Error('db roles: a server handle without its URL');
      try {
        await withMigrationLock(url, async (db) => {
          const me = (await connectionRights(db)).role;
          for (const role of [owner, app]) {
            if (await ensureLoginRole(db, role)) {
              say(
                text(
                  `Đã tạo vai trò ${role} (LOGIN, chưa có mật khẩu; đặt bằng: ALTER ROLE ${role} PASSWORD '…';).`,
                  `Created role ${role} (LOGIN, no password yet; set one with: ALTER ROLE ${role} PASSWORD '…';).`,
                ),
              );
            } else {
              say(text(`Vai trò ${role} đã có.`, `Role ${role} exists already.`));
            }
          }
          if (await ensureCanActAs(db, owner)) {
            say(
              text(
                `Đã cho ${me} quyền hành động như ${owner} (cần để chuyển quyền sở hữu).`,
                `Granted ${owner} to ${me} (needed to hand casedesk's objects over to it).`,
              ),
            );
          }
          const ownerGrants = await grantOwnerRights(db, owner);
          say(
            ownerGrants.length > 0
              ? text(`Đã cấp cho ${owner}: ${ownerGrants.join(', ')}.`, `Granted ${owner}: ${ownerGrants.join(', ')}.`)
              : text(
                  `${owner} đã có CONNECT, CREATE trên cơ sở dữ liệu và USAGE, CREATE trên schema public.`,
                  `${owner} already has CONNECT and CREATE on the database and USAGE and CREATE on schema public.`,
                ),
          );
          const applied = await applyMigrations(db);
          say(text(`Đã áp dụng ${applied} bản cập nhật cấu trúc cơ sở dữ liệu (migration).`, `Applied ${applied} migration(s).`));
          const handedOver = await transferOwnership(db, owner);
          say(
            handedOver > 0
              ? text(
                  `${owner} nay sở hữu thêm ${handedOver} đối tượng của casedesk (bảng, sequence, hàm, kiểu).`,
                  `${owner} now owns ${handedOver} more of casedesk's objects (tables, sequences, functions, types).`,
                )
              : text(`${owner} đã sở hữu mọi đối tượng của casedesk.`, `${owner} already owns all of casedesk's objects.`),
          );
          const statements = [...(await applyAppDatabaseRights(db, app)), ...(await applyAppObjectRights(db, app))];
          const appendOnly = APPEND_ONLY_TABLES.join(', ');
          const rights = text(
            `CONNECT; USAGE trên schema public và drizzle; SELECT trên drizzle.__drizzle_migrations; SELECT, INSERT trên ${appendOnly}; SELECT trên ${CHAIN_HEAD_TABLE}; SELECT, INSERT, UPDATE, DELETE trên các bảng khác; USAGE, SELECT trên sequence; không gì khác`,
            `CONNECT; USAGE on schemas public and drizzle; SELECT on drizzle.__drizzle_migrations; SELECT, INSERT on ${appendOnly}; SELECT on ${CHAIN_HEAD_TABLE}; SELECT, INSERT, UPDATE, DELETE on the other tables; USAGE, SELECT on the sequences; nothing else`,
          );
          say(
            statements.length > 0
              ? text(
                  `Đã đặt quyền của ${app} (${statements.length} lệnh GRANT/REVOKE): ${rights('vi')}.`,
                  `Set ${app}'s rights (${statements.length} GRANT/REVOKE statements): ${rights('en')}.`,
                )
              : text(`Quyền của ${app} đã đúng như vậy: ${rights('vi')}.`, `${app}'s rights were exactly these already: ${rights('en')}.`),
          );
          const checks = await checkAppRole(db, app);
          for (const { check, problems } of checks) {
            const line = CHECK_TEXT[check](app);
            const found = (l: 'vi' | 'en') => problems.map((p) => problemText(p)(l)).join('; ');
            say(
              problems.length === 0
                ? text(`✓ Đã kiểm tra: ${line('vi')}.`, `✓ Checked: ${line('en')}.`)
                : text(`✗ Không đạt: ${line('vi')}: ${found('vi')}.`, `✗ Failed: ${line('en')}: ${found('en')}.`),
            );
          }
          if (checks.some((c) => c.problems.length > 0)) {
            ctx.fail(
              text(
                `${app} vẫn còn quyền không nên có hoặc thiếu quyền cần có (xem các dòng ✗ ở trên).`,
                `${app} still has rights it should not have, or lacks some it needs (see the ✗ lines above).`,
              ),
            );
          }
        });
      } catch (error) {
        if (error instanceof CliFailure || !databaseErrorCode(error)) throw error;
        const reason = databaseErrorMessage(error);
        ctx.fail(
          text(
            `Không thiết lập được vai trò (${reason}): \`casedesk db roles\` cần kết nối (DATABASE_MIGRATION_URL hoặc DATABASE_URL) bằng superuser hoặc vai trò có CREATEROLE sở hữu cơ sở dữ liệu.`,
            `Could not set up the roles (${reason}): \`casedesk db roles\` needs to connect (DATABASE_MIGRATION_URL or DATABASE_URL) as a superuser or as a role with CREATEROLE that owns the database.`,
          ),
        );
      }
      say(
        text(
          'Cấu hình casedesk như sau (thay *** bằng mật khẩu của từng vai trò):',
          "Configure casedesk with (replace *** with each role's password):",
        ),
      );
      ctx.print(`DATABASE_URL=${roleUrl(url, app)}`);
      ctx.print(`DATABASE_MIGRATION_URL=${roleUrl(url, owner)}`);
    },
    { migrate: false, owner: true },
  );
}

const CHECK_TEXT: Record<AppRoleCheck, (app: string) => Text> = {
  attributes: (app) =>
    text(
      `${app} không phải superuser, không tạo được vai trò hay cơ sở dữ liệu, không có quyền replication hay vượt bảo mật theo dòng`,
      `${app} is not a superuser and cannot create roles or databases, replicate or bypass row security`,
    ),
  'owns-nothing': (app) =>
    text(
      `${app} không sở hữu gì và không hành động được như chủ sở hữu các bảng của casedesk`,
      `${app} owns nothing and cannot act as the owner of casedesk's tables`,
    ),
  'no-truncate-trigger': (app) =>
    text(
      `${app} không có quyền TRUNCATE, TRIGGER hay REFERENCES trên bảng nào`,
      `${app} has no TRUNCATE, TRIGGER or REFERENCES right on any table`,
    ),
  'append-only': (app) =>
    text(
      `${app} chỉ đọc và thêm được dòng vào ${APPEND_ONLY_TABLES.join(', ')}, và chỉ đọc được ${CHAIN_HEAD_TABLE}`,
      `${app} may only read and add rows in ${APPEND_ONLY_TABLES.join(', ')}, and only read ${CHAIN_HEAD_TABLE}`,
    ),
  'no-create': (app) => text(`${app} không tạo được schema hay bảng`, `${app} cannot create schemas or tables`),
  'can-work': (app) =>
    text(
      `${app} kết nối được, đọc được các migration đã áp dụng, và đọc, ghi được các bảng khác`,
      `${app} can connect, read which migrations are applied, and read and write the other tables`,
    ),
};

/** What breaks a check: `UPDATE on audit_log`, `no CONNECT on database casedesk`, `owns table x`. */
function problemText({ kind, privilege, object, objectKind }: AppRoleProblem): Text {
  const on = (l: 'vi' | 'en') =>
    objectKind === 'database'
      ? text(`cơ sở dữ liệu ${object}`, `database ${object}`)(l)
      : objectKind === 'schema'
        ? `schema ${object}`
        : (object ?? '');
  switch (kind) {
    case 'missing':
      return text('chưa có vai trò này', 'role missing');
    case 'attribute':
      return () => privilege ?? '';
    case 'owns':
      return text(`sở hữu ${object}`, `owns ${object}`);
    case 'acts-as':
      return text(`hành động được như ${object}`, `can act as ${object}`);
    case 'has':
      return text(`${privilege} trên ${on('vi')}`, `${privilege} on ${on('en')}`);
    case 'lacks':
      return text(`thiếu ${privilege} trên ${on('vi')}`, `no ${privilege} on ${on('en')}`);
  }
}

/** The server URL `db roles` connected with, as `role` (its password left for the operator to fill in). */
function roleUrl(url: string, role: string): string {
  const u = new URL(url);
  u.username = role;
  u.password = '***';
  return u.toString();
}
