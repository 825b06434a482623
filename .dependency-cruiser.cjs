// The boundaries of the house style (STYLE.md: "The shape of the house", §1, §9, §14), checked by `npm run deps`:
//
//   db/schema  <  db  <  src/domain  <  src/i18n  <  src/repositories  <  src/services  <  src/presenters, src/core
//   <  commands  <  src/adapters/<platform>  <  src/scheduler, src/ops  <  src/cli, src/app.ts
//
// A folder imports only from folders below it; the rules below forbid the upward edges one by one and `no-circular`
// forbids cycles between modules. Cycles between folders are checked by .dependency-cruiser-folders.cjs (second half of
// `npm run deps`; it explains why it is a run of its own). Type-only imports count: a type-only cycle is still two
// folders that cannot be understood apart (issue 11: repositories/outbox.ts ↔ core).
//
// Paths are matched after resolution: npm packages as `…node_modules/<name>/…` (node_modules may be a symlink to
// another checkout, so `node_modules/` is not anchored), local files relative to the repository root.
// process.env (only src/config.ts reads it) is invisible to dependency-cruiser: eslint.config.js checks it.

/** Each platform's SDK packages, allowed only in its own adapter folder. A new platform is one more line. */
const PLATFORM_SDKS = {
  discord: ['discord\\.js', '@discordjs/[^/]+'],
  slack: ['@slack/[^/]+'],
};

const npm = (names) => `(^|node_modules/)(${names.join('|')})(/|$)`;

/** Tests and the bench drive every layer at once; they may import anything. */
const TESTS = ['^tests/', '^bench/'];

/** The composition root: src/app.ts today, or a src/app/ folder should it grow one. */
const APP = '^src/app(\\.ts$|/)';

const SQL_BUILDERS = npm(['drizzle-orm', 'postgres', '@electric-sql/pglite']);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    // --- platform SDKs only in their adapter ------------------------------------------------------------------------
    ...Object.entries(PLATFORM_SDKS).map(([platform, packages]) => ({
      name: `${platform}-sdk-outside-its-adapter`,
      comment: `${packages.join(', ')} may be imported only under src/adapters/${platform}/: adapters translate, the core decides (STYLE.md §1).`,
      severity: 'error',
      from: { pathNot: [`^src/adapters/${platform}/`, ...TESTS] },
      to: { path: npm(packages), dependencyTypesNot: ['local'] },
    })),

    // --- SQL only in db/ and src/repositories/ ----------------------------------------------------------------------
    {
      name: 'sql-builder-outside-repositories',
      comment: 'drizzle-orm, postgres and PGlite build or run SQL: only db/ and src/repositories/ may import them (STYLE.md §9).',
      severity: 'error',
      from: { pathNot: ['^db/', '^src/repositories/', ...TESTS] },
      to: { path: SQL_BUILDERS, dependencyTypesNot: ['local'] },
    },
    {
      name: 'schema-tables-outside-repositories',
      comment:
        "db/schema's tables are only of use to a query: outside db/ and src/repositories/ import its types only " +
        '(`import type`), and reach the data through a repository (STYLE.md §9).',
      severity: 'error',
      from: { pathNot: ['^db/', '^src/repositories/', ...TESTS] },
      // enums.ts holds vocabularies (the platforms, roles, statuses), not tables: anyone may list them.
      to: { path: '^db/schema/', pathNot: '^db/schema/enums\\.ts$', dependencyTypesNot: ['type-only'] },
    },

    // --- nothing below imports above ----------------------------------------------------------------------------------
    {
      name: 'db-imports-above',
      comment: 'db/ (schema, client, migrations) is the bottom layer: it imports nothing from src/, commands/, tests/ or bench/.',
      severity: 'error',
      from: { path: '^db/' },
      to: { path: '^(src|commands|tests|bench|bin)/' },
    },
    {
      name: 'domain-imports-above',
      comment: 'src/domain/ (reply model, Scope, dates, names) imports only other domain files and types from db/schema.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^(src|commands|db|tests|bench|bin)/', pathNot: ['^src/domain/', '^db/schema/'] },
    },
    {
      name: 'domain-imports-schema-values',
      comment: 'src/domain/ may take types from db/schema, never its tables (`import type`); the vocabularies of enums.ts are not tables.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^db/schema/', pathNot: '^db/schema/enums\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'i18n-imports-above',
      comment: 'src/i18n/ (text(), labels, plurals) sits just above the domain: it imports only i18n, domain and db/schema types.',
      severity: 'error',
      from: { path: '^src/i18n/' },
      to: { path: '^(src|commands|db|tests|bench|bin)/', pathNot: ['^src/(i18n|domain)/', '^db/schema/'] },
    },
    {
      name: 'repositories-import-above',
      comment:
        'src/repositories/ own the SQL and return rows: they import db/, src/domain/, src/i18n/ and each other, nothing ' +
        'from core, services, presenters, adapters, scheduler, cli or commands.',
      severity: 'error',
      from: { path: '^src/repositories/' },
      to: { path: ['^src/(core|services|adapters|presenters|scheduler|cli)/', APP, '^(commands|tests|bench)/'] },
    },
    {
      name: 'services-import-above',
      comment:
        'src/services/ are use cases bound to a transaction: no platform (adapters), no process wiring (cli, scheduler, ' +
        'app.ts) and no commands. A platform list a service needs belongs below (domain/core), not in src/adapters/index.ts.',
      severity: 'error',
      from: { path: '^src/services/' },
      to: { path: ['^src/(adapters|cli|scheduler)/', APP, '^(commands|tests|bench)/'] },
    },
    {
      name: 'presenters-import-above',
      comment: 'src/presenters/ turn a result into a ReplyMessage: no platform, no process wiring, no commands.',
      severity: 'error',
      from: { path: '^src/presenters/' },
      to: { path: ['^src/(adapters|cli|scheduler)/', APP, '^(commands|tests|bench)/'] },
    },
    {
      name: 'presenters-call-data-layer',
      comment:
        'A presenter renders what it is given: it may import the types of repositories (their rows, `import type`), ' +
        'never their functions, and never the database client, so rendering cannot read or write data. Pure helpers ' +
        "of services (a period's description, the change on last year) may be used: a service cannot act without the " +
        'transaction a presenter never has.',
      severity: 'error',
      from: { path: '^src/presenters/' },
      to: { path: ['^src/repositories/', '^db/client\\.ts$'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'core-imports-above',
      comment:
        'src/core/ (the pipeline, the platform contract, the delivery plan) knows no platform and no process wiring: ' +
        'no src/adapters, src/cli, src/scheduler, src/app.ts; commands are given to it, not imported.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: ['^src/(adapters|cli|scheduler)/', APP, '^(commands|tests|bench)/'] },
    },
    {
      name: 'commands-import-platform-or-wiring',
      comment: 'commands/ are platform-neutral data + run(ctx): no src/adapters, src/cli, src/scheduler or src/app.ts.',
      severity: 'error',
      from: { path: '^commands/' },
      to: { path: ['^src/(adapters|cli|scheduler)/', APP, '^(tests|bench)/'] },
    },
    {
      name: 'adapters-bypass-core',
      comment:
        'An adapter translates a platform payload into an Invocation and renders the ReplyMessage: it reaches commands, ' +
        "services and data only through the core it is started with, and never another platform's adapter.",
      severity: 'error',
      from: { path: '^src/adapters/([^/]+)/' },
      to: {
        path: ['^src/(repositories|services|presenters|scheduler|cli)/', '^src/adapters/[^/]+/', '^commands/', '^(tests|bench)/'],
        // commands/index.ts is the list of command words, which a platform that routes by command (Slack's app
        // matches its slash commands) must know when it starts; the commands themselves run only through the core.
        pathNot: ['^src/adapters/$1/', '^commands/index\\.ts$'],
      },
    },
    {
      name: 'config-or-logger-imports-above',
      comment: 'src/config.ts and src/logger.ts sit at the bottom of src/: they import each other and npm packages only.',
      severity: 'error',
      from: { path: '^src/(config|logger)\\.ts$' },
      to: { path: '^(src|commands|db|tests|bench|bin)/', pathNot: '^src/(config|logger)\\.ts$' },
    },
    {
      name: 'ops-imports-a-platform',
      comment:
        'src/ops/ (health, readiness, metrics, the graceful stop) is platform-neutral: it reads adapters through the ' +
        "ChatAdapter contract of src/core/platform.ts, never a platform's folder, and it does not start the process (cli).",
      severity: 'error',
      from: { path: '^src/ops/' },
      to: { path: ['^src/(adapters|cli)/', APP] },
    },
    {
      name: 'ops-imported-from-below',
      comment: 'src/ops/ is process wiring: only src/cli/ starts it. Adapters receive its routes and callbacks as data.',
      severity: 'error',
      from: { pathNot: ['^src/(cli|ops)/', ...TESTS] },
      to: { path: '^src/ops/' },
    },
    {
      name: 'app-imported-from-below',
      comment: 'src/app.ts wires the house together (the composition root): only src/cli/ and src/adapters/ start it.',
      severity: 'error',
      from: { pathNot: ['^src/(cli|adapters)/', APP, ...TESTS] },
      to: { path: APP },
    },
    {
      name: 'not-to-tests',
      comment: 'Production code never imports tests/ or bench/ (fakes and factories stay on the test side).',
      severity: 'error',
      from: { pathNot: TESTS },
      to: { path: TESTS },
    },

    // --- no cycles ---------------------------------------------------------------------------------------------------
    {
      name: 'no-circular',
      comment: 'Two modules that import each other, directly or through others: move the shared part below both.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import dependency-cruiser cannot resolve is one it cannot check.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports (`import type`) are dependencies too: they are how layers leak.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.d.ts'],
    },
    skipAnalysisNotInRules: true,
  },
};
