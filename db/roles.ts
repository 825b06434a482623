import { sql } from 'drizzle-orm';
import { queryRows, type Database, type Executor } from './client.ts';

/**
 * Least-privilege roles on a PostgreSQL server: the SQL of `casedesk db roles`, one function per
 * step, and of the checks the bot's connection makes at start. An owner role owns casedesk's
 * objects and applies the migrations; the app role, which the bot connects as, owns nothing and may
 * only read and add rows in the append-only tables, so a stolen bot credential cannot rewrite the
 * audit trail (it cannot disable or drop a trigger either: that takes ownership).
 *
 * Every step reads the catalog first and changes only what differs, so running it again changes
 * nothing. Statements are built by the server with `format('%I')`; role names are also validated
 * against {@link ROLE_NAME} before they reach any SQL.
 *
 * @example
 *   await ensureLoginRole(db, 'casedesk_app');
 *   await applyAppObjectRights(db, 'casedesk_app');
 *   const checks = await checkAppRole(db, 'casedesk_app');
 */

type Db = Pick<Database, 'execute'>;

/** The tables whose rows are never changed or removed: the app role may only read and add rows. */
export const APPEND_ONLY_TABLES = [
  'audit_log',
  'case_events',
  'case_ledger',
  'case_decisions',
  'case_details',
  'case_validations',
] as const;
/** The audit chain's head: written only by the security-definer audit trigger; the app role reads it. */
export const CHAIN_HEAD_TABLE = 'audit_chain';

/** A role name casedesk creates or grants to: lower case, at most 63 characters, as PostgreSQL stores it unquoted. */
export const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Whether `name` may be used as a role name (`pg_` names are reserved by PostgreSQL). */
export function isRoleName(name: string): boolean {
  return ROLE_NAME.test(name) && !name.startsWith('pg_');
}

function roleName(name: string): string {
  if (!isRoleName(name)) throw new Error(`Not a valid role name: ${JSON.stringify(name)}`);
  return name;
}

/** The SQL fragments shared by the plans below. */
const APPEND_ONLY = sql.raw(`array[${APPEND_ONLY_TABLES.map((t) => `'${t}'`).join(', ')}]::text[]`);
/** Objects that belong to an extension (unaccent, pg_trgm …): left to whoever installed it. */
const notExtensionMember = (catalog: 'pg_class' | 'pg_proc' | 'pg_type', oid: string) =>
  sql.raw(`not exists (select 1 from pg_depend e where e.classid = '${catalog}'::regclass and e.objid = ${oid} and e.deptype = 'e')`);
const CASEDESK_SCHEMAS = sql.raw(`(select oid from pg_namespace where nspname in ('public', 'drizzle'))`);

/** Runs each statement of a plan in turn; returns them. */
async function run(db: Db, statements: string[]): Promise<string[]> {
  for (const statement of statements) await db.execute(sql.raw(statement));
  return statements;
}

export interface ConnectionRights {
  /** The role this connection runs as. */
  role: string;
  superuser: boolean;
  /** Whether casedesk's tables exist yet (a fresh database has none). */
  hasTables: boolean;
  /** Whether the role owns a casedesk table, or may act as a role that does. */
  ownsTables: boolean;
}

/**
 * What the connection's role may do to casedesk's tables. A superuser or an owner has "owner
 * rights": it can disable the append-only triggers.
 */
export async function connectionRights(db: Db): Promise<ConnectionRights> {
  const [row] = await queryRows<ConnectionRights>(
    db,
    sql`select current_user::text as "role", r.rolsuper as "superuser",
          exists (select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace
                  where n.nspname = 'public' and c.relkind in ('r', 'p')) as "hasTables",
          exists (select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace
                  where n.nspname = 'public' and c.relkind in ('r', 'p')
                    and pg_has_role(current_user, c.relowner, 'MEMBER')) as "ownsTables"
        from pg_roles r where r.rolname = current_user`,
  );
  return row!;
}

/** Creates a LOGIN role without a password, unless one of that name exists. Returns whether it created it. */
export async function ensureLoginRole(db: Db, name: string): Promise<boolean> {
  const [row] = await queryRows<{ exists: boolean }>(
    db,
    sql`select exists (select 1 from pg_roles where rolname = ${roleName(name)}) as "exists"`,
  );
  if (row?.exists) return false;
  await db.execute(sql.raw(`create role "${roleName(name)}" login`));
  return true;
}

/**
 * Lets the connection's role act as `owner`, which handing objects over to it requires; a
 * superuser may already. Returns whether it granted the membership.
 */
export async function ensureCanActAs(db: Db, owner: string): Promise<boolean> {
  const [row] = await queryRows<{ statement: string | null }>(
    db,
    sql`select case when pg_has_role(current_user, ${roleName(owner)}::name, 'MEMBER') then null
                    else format('grant %I to current_user', ${owner}::text) end as "statement"`,
  );
  if (!row?.statement) return false;
  await run(db, [row.statement]);
  return true;
}

/**
 * Grants the owner CONNECT and CREATE on the database (drizzle's migrator creates its own schema)
 * and USAGE and CREATE on schema public, where it has no explicit grant yet. Returns what it
 * granted, e.g. `['CONNECT ON DATABASE', 'CREATE ON SCHEMA public']`.
 */
export async function grantOwnerRights(db: Db, owner: string): Promise<string[]> {
  const rows = await queryRows<{ what: string; statement: string }>(
    db,
    sql`with r as (select oid from pg_roles where rolname = ${roleName(owner)}),
        wanted(n, kind, priv) as (values (1, 'DATABASE', 'CONNECT'), (2, 'DATABASE', 'CREATE'), (3, 'SCHEMA', 'USAGE'), (4, 'SCHEMA', 'CREATE')),
        held as (
          select 'DATABASE' as kind, a.privilege_type as priv
            from pg_database d cross join lateral aclexplode(d.datacl) a join r on a.grantee = r.oid
            where d.datname = current_database()
          union all
          select 'SCHEMA', a.privilege_type
            from pg_namespace n cross join lateral aclexplode(n.nspacl) a join r on a.grantee = r.oid
            where n.nspname = 'public')
        select w.priv || ' ON ' || w.kind || case w.kind when 'SCHEMA' then ' public' else '' end as "what",
               case w.kind when 'DATABASE' then format('grant %s on database %I to %I', w.priv, current_database(), ${owner}::text)
                           else format('grant %s on schema public to %I', w.priv, ${owner}::text) end as "statement"
          from wanted w
          where not exists (select 1 from held h where h.kind = w.kind and h.priv = w.priv)
          order by w.n`,
  );
  await run(
    db,
    rows.map((r) => r.statement),
  );
  return rows.map((r) => r.what);
}

/**
 * Makes `owner` the owner of casedesk's objects: the drizzle schema, and the tables, views,
 * sequences, functions and types in schemas public and drizzle, except those of extensions.
 * Sequences that belong to a table follow it. Returns how many objects changed hands.
 */
export async function transferOwnership(db: Db, owner: string): Promise<number> {
  const rows = await queryRows<{ statement: string }>(
    db,
    sql`with o as (select oid from pg_roles where rolname = ${roleName(owner)})
        select format('alter schema %I owner to %I', n.nspname, ${owner}::text) as "statement"
          from pg_namespace n, o where n.nspname = 'drizzle' and n.nspowner <> o.oid
        union all
        select format('alter %s %s owner to %I',
                 case c.relkind when 'S' then 'sequence' when 'v' then 'view' when 'm' then 'materialized view'
                                when 'f' then 'foreign table' else 'table' end,
                 c.oid::regclass, ${owner}::text)
          from pg_class c, o
          where c.relnamespace in ${CASEDESK_SCHEMAS} and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S') and c.relowner <> o.oid
            and ${notExtensionMember('pg_class', 'c.oid')}
            and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid
                              and d.refclassid = 'pg_class'::regclass and d.deptype in ('a', 'i'))
        union all
        select format('alter %s %s owner to %I',
                 case p.prokind when 'p' then 'procedure' when 'a' then 'aggregate' else 'function' end,
                 p.oid::regprocedure, ${owner}::text)
          from pg_proc p, o
          where p.pronamespace in ${CASEDESK_SCHEMAS} and p.proowner <> o.oid and ${notExtensionMember('pg_proc', 'p.oid')}
        union all
        select format('alter %s %s owner to %I', case t.typtype when 'd' then 'domain' else 'type' end, t.oid::regtype, ${owner}::text)
          from pg_type t, o
          where t.typnamespace in ${CASEDESK_SCHEMAS} and t.typowner <> o.oid and ${notExtensionMember('pg_type', 't.oid')}
            and (t.typtype in ('e', 'd', 'r')
                 or (t.typtype = 'c' and exists (select 1 from pg_class k where k.oid = t.typrelid and k.relkind = 'c')))`,
  );
  await run(
    db,
    rows.map((r) => r.statement),
  );
  return rows.length;
}

/**
 * Sets the app role's rights on casedesk's tables, sequences and functions to exactly: SELECT and
 * INSERT on the append-only tables, SELECT on the audit chain's head and on drizzle's record of
 * migrations, SELECT, INSERT, UPDATE and DELETE on every other table, USAGE and SELECT on the
 * sequences, nothing else (no TRUNCATE, REFERENCES, TRIGGER, grant option, or direct grant on a
 * function); and takes from PUBLIC any right on those tables and sequences. Only objects whose
 * rights differ are touched, in one transaction. Run after every migration as the owner, so that
 * the tables a new migration added are covered. Returns the statements it ran.
 */
export async function applyAppObjectRights(db: Executor, app: string): Promise<string[]> {
  const rows = await queryRows<{ statements: string[] }>(
    db,
    sql`with app as (select oid from pg_roles where rolname = ${roleName(app)}),
        objects as (
          select c.oid, c.relacl as acl, case c.relkind when 'S' then 'sequence' else 'table' end as kind,
                 format('%I.%I', n.nspname, c.relname) as name,
                 case
                   when c.relkind = 'S' then case when n.nspname = 'public' then array['SELECT', 'USAGE'] else array[]::text[] end
                   when n.nspname = 'drizzle' then case when c.relname = '__drizzle_migrations' then array['SELECT'] else array[]::text[] end
                   when c.relname = ${CHAIN_HEAD_TABLE} then array['SELECT']
                   when c.relname = any(${APPEND_ONLY}) then array['INSERT', 'SELECT']
                   else array['DELETE', 'INSERT', 'SELECT', 'UPDATE']
                 end as wanted
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname in ('public', 'drizzle') and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')
              and ${notExtensionMember('pg_class', 'c.oid')}),
        held as (
          select o.oid,
                 coalesce(array_agg(a.privilege_type::text) filter (where a.grantee = app.oid), '{}') as privs,
                 coalesce(bool_or(a.is_grantable) filter (where a.grantee = app.oid), false) as grantable,
                 coalesce(bool_or(a.grantee = 0), false) as to_public
            from objects o cross join app left join lateral aclexplode(o.acl) a on true
            group by o.oid),
        plans as (
          select o.name, o.kind, o.wanted, h.to_public,
                 not (h.privs @> o.wanted and o.wanted @> h.privs) or h.grantable as differs
            from objects o join held h on h.oid = o.oid)
        select array_remove(array[
                 case when p.to_public then format('revoke all on %s %s from public', p.kind, p.name) end,
                 case when p.differs then format('revoke all on %s %s from %I', p.kind, p.name, ${app}::text) end,
                 case when p.differs and cardinality(p.wanted) > 0
                      then format('grant %s on %s %s to %I', array_to_string(p.wanted, ', '), p.kind, p.name, ${app}::text) end
               ], null) as "statements"
          from plans p where p.differs or p.to_public
        union all
        select array[format('revoke all on routine %s from %I', f.oid::regprocedure, ${app}::text)]
          from pg_proc f, app
          where f.pronamespace in ${CASEDESK_SCHEMAS} and ${notExtensionMember('pg_proc', 'f.oid')}
            and exists (select 1 from aclexplode(f.proacl) a where a.grantee = app.oid)`,
  );
  const statements = rows.flatMap((r) => r.statements);
  if (statements.length > 0) await db.transaction((tx) => run(tx, statements).then(() => undefined));
  return statements;
}

/**
 * Sets the app role's rights on the database and its schemas to exactly CONNECT, and USAGE on
 * schemas public and drizzle; takes from PUBLIC the right to create in them (PostgreSQL 14 and
 * older let everyone create tables in public), and ends the app role's membership in any role that
 * owns casedesk's objects. Changes only what differs. Returns the statements it ran.
 */
export async function applyAppDatabaseRights(db: Executor, app: string): Promise<string[]> {
  const rows = await queryRows<{ statements: string[] }>(
    db,
    sql`with app as (select oid from pg_roles where rolname = ${roleName(app)}),
        objects as (
          select 'database' as kind, format('%I', d.datname) as name, d.datacl as acl, array['CONNECT'] as wanted,
                 array['CREATE'] as public_refused
            from pg_database d where d.datname = current_database()
          union all
          select 'schema', format('%I', n.nspname), n.nspacl, array['USAGE'],
                 case n.nspname when 'public' then array['CREATE'] else array['CREATE', 'USAGE'] end
            from pg_namespace n where n.nspname in ('public', 'drizzle')),
        held as (
          select o.kind, o.name, o.wanted,
                 coalesce(array_agg(a.privilege_type::text) filter (where a.grantee = app.oid), '{}') as privs,
                 coalesce(bool_or(a.is_grantable) filter (where a.grantee = app.oid), false) as grantable,
                 coalesce(array_agg(a.privilege_type::text) filter (where a.grantee = 0 and a.privilege_type = any(o.public_refused)), '{}')
                   as public_extra
            from objects o cross join app left join lateral aclexplode(o.acl) a on true
            group by o.kind, o.name, o.wanted)
        select array_remove(array[
                 case when cardinality(h.public_extra) > 0
                      then format('revoke %s on %s %s from public', array_to_string(h.public_extra, ', '), h.kind, h.name) end,
                 case when differs then format('revoke all on %s %s from %I', h.kind, h.name, ${app}::text) end,
                 case when differs then format('grant %s on %s %s to %I', array_to_string(h.wanted, ', '), h.kind, h.name, ${app}::text) end
               ], null) as "statements"
          from held h cross join lateral (select not (h.privs @> h.wanted and h.wanted @> h.privs) or h.grantable as differs) x
          where differs or cardinality(h.public_extra) > 0
        union all
        select array[format('revoke %s from %I', m.roleid::regrole, ${app}::text)]
          from pg_auth_members m, app
          where m.member = app.oid
            and m.roleid in (select c.relowner from pg_class c where c.relnamespace in ${CASEDESK_SCHEMAS}
                             union select p.proowner from pg_proc p where p.pronamespace in ${CASEDESK_SCHEMAS})`,
  );
  const statements = rows.flatMap((r) => r.statements);
  if (statements.length > 0) await db.transaction((tx) => run(tx, statements).then(() => undefined));
  return statements;
}

/** What `checkAppRole` verifies, in the order it reports them. */
export const APP_ROLE_CHECKS = ['attributes', 'owns-nothing', 'no-truncate-trigger', 'append-only', 'no-create', 'can-work'] as const;
export type AppRoleCheck = (typeof APP_ROLE_CHECKS)[number];

/**
 * Checks the app role as the server sees it (grants to PUBLIC and through memberships count):
 * - attributes: not a superuser, and cannot create roles or databases, replicate or bypass row security;
 * - owns-nothing: owns no object, and cannot act as a role that owns casedesk's;
 * - no-truncate-trigger: no TRUNCATE, TRIGGER or REFERENCES on any table of the database;
 * - append-only: only SELECT and INSERT on the append-only tables, only SELECT on the chain's head;
 * - no-create: cannot create schemas in the database nor objects in its schemas;
 * - can-work: may connect, read drizzle's record of migrations, and read and write the other tables.
 * Returns, for each check, what breaks it (empty when it holds).
 */
export async function checkAppRole(db: Db, app: string): Promise<Array<{ check: AppRoleCheck; problems: AppRoleProblem[] }>> {
  const rows = await queryRows<{ check: AppRoleCheck } & AppRoleProblem>(
    db,
    sql`with app as (select ${roleName(app)}::name as name),
        tables as (
          select c.oid, c.relname, n.nspname from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where c.relkind in ('r', 'p', 'v', 'm', 'f')
              and n.nspname not in ('pg_catalog', 'information_schema')
              and n.nspname !~ '^pg_(toast|temp_)'),
        casedesk as (select * from tables where nspname = 'public' and ${notExtensionMember('pg_class', 'tables.oid')})
        select 'attributes' as "check", 'missing' as "kind", null::text as "privilege", null::text as "object", null::text as "objectKind"
          from app where not exists (select 1 from pg_roles r where r.rolname = app.name)
        union all
        select 'attributes', 'attribute', a.attr, null, null from pg_roles r join app on r.rolname = app.name
          cross join lateral (values ('SUPERUSER', r.rolsuper), ('CREATEROLE', r.rolcreaterole), ('CREATEDB', r.rolcreatedb),
                                     ('REPLICATION', r.rolreplication), ('BYPASSRLS', r.rolbypassrls)) a(attr, has)
          where a.has
        union all
        select 'owns-nothing', 'owns', null, pg_describe_object(s.classid, s.objid, s.objsubid), null
          from pg_shdepend s join pg_roles r on r.oid = s.refobjid join app on r.rolname = app.name
          where s.deptype = 'o' and s.refclassid = 'pg_authid'::regclass
            and s.dbid in (0, (select oid from pg_database where datname = current_database()))
        union all
        select distinct 'owns-nothing', 'acts-as', null, c.relowner::regrole::text, null
          from pg_class c, app
          where c.relnamespace in ${CASEDESK_SCHEMAS} and c.relowner <> (select oid from pg_roles where rolname = app.name)
            and pg_has_role(app.name, c.relowner, 'MEMBER')
        union all
        select 'no-truncate-trigger', 'has', p.priv, t.oid::regclass::text, 'table'
          from tables t, app, unnest(array['TRUNCATE', 'TRIGGER', 'REFERENCES']) p(priv)
          where has_table_privilege(app.name, t.oid, p.priv)
        union all
        select 'append-only', 'has', p.priv, t.relname::text, 'table'
          from casedesk t, app, unnest(array['UPDATE', 'DELETE']) p(priv)
          where t.relname = any(${APPEND_ONLY}) and has_table_privilege(app.name, t.oid, p.priv)
        union all
        select 'append-only', 'has', p.priv, t.relname::text, 'table'
          from casedesk t, app, unnest(array['INSERT', 'UPDATE', 'DELETE']) p(priv)
          where t.relname = ${CHAIN_HEAD_TABLE} and has_table_privilege(app.name, t.oid, p.priv)
        union all
        select 'no-create', 'has', 'CREATE', current_database()::text, 'database' from app
          where has_database_privilege(app.name, current_database(), 'CREATE')
        union all
        select 'no-create', 'has', 'CREATE', n.nspname::text, 'schema' from pg_namespace n, app
          where n.nspname not in ('pg_catalog', 'information_schema') and n.nspname !~ '^pg_(toast|temp_)'
            and has_schema_privilege(app.name, n.oid, 'CREATE')
        union all
        select 'can-work', 'lacks', 'CONNECT', current_database()::text, 'database' from app
          where not has_database_privilege(app.name, current_database(), 'CONNECT')
        union all
        select 'can-work', 'lacks', 'USAGE', n.nspname::text, 'schema' from pg_namespace n, app
          where n.nspname in ('public', 'drizzle') and not has_schema_privilege(app.name, n.oid, 'USAGE')
        union all
        select 'can-work', 'lacks', 'SELECT', 'drizzle.__drizzle_migrations', 'table' from app
          where to_regclass('drizzle.__drizzle_migrations') is not null
            and not has_table_privilege(app.name, 'drizzle.__drizzle_migrations', 'SELECT')
        union all
        select 'can-work', 'lacks', p.priv, t.relname::text, 'table'
          from casedesk t, app, unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE']) p(priv)
          where not has_table_privilege(app.name, t.oid, p.priv)
            and (t.relname <> all(${APPEND_ONLY}) or p.priv in ('SELECT', 'INSERT'))
            and (t.relname <> ${CHAIN_HEAD_TABLE} or p.priv = 'SELECT')
        order by 1, 2, 3, 4`,
  );
  return APP_ROLE_CHECKS.map((check) => ({
    check,
    problems: rows.filter((r) => r.check === check).map(({ check: _, ...problem }) => problem),
  }));
}

/**
 * One thing that breaks a check of {@link checkAppRole}, as data for the command line to say in
 * the operator's language: the role is missing, has an attribute (`SUPERUSER`), owns an object
 * (as `pg_describe_object` names it), can act as a role owning casedesk's tables, or has or
 * lacks a privilege on a table, a schema or the database.
 */
export interface AppRoleProblem {
  kind: 'missing' | 'attribute' | 'owns' | 'acts-as' | 'has' | 'lacks';
  /** The attribute (`attribute`) or privilege (`has`, `lacks`). */
  privilege: string | null;
  /** The object owned, the role acted as, or what the privilege is on. */
  object: string | null;
  objectKind: 'table' | 'schema' | 'database' | null;
}
