import { defineConfig } from 'drizzle-kit';

// Used only to generate migrations (`npm run db:generate`). They are applied by the app
// itself (`casedesk db migrate`, and at start), because drizzle-kit cannot load PGlite's
// pg_trgm and unaccent extensions.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema/index.ts',
  out: './db/migrations',
  strict: true,
});
