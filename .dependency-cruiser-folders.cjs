// No import cycle between folders: the second half of `npm run deps` (the first is .dependency-cruiser.cjs).
//
// A run of its own because dependency-cruiser's folder scope counts a module in every folder above it: `src` holds all
// of src/**, so it "imports" commands/ (src/app.ts and src/cli/ do) while src/core "imports" `src` (src/logger.ts, a
// file in the root), and every folder would sit on a false cycle src → commands → src/core → src. This run leaves out
// the files in the root of src/ (config.ts, logger.ts, app.ts: their own rules and `no-circular` in the first run cover
// them) and checks the layer folders (src/<layer>/…, commands/, db/…) against each other. Type-only imports count.
const { options } = require('./.dependency-cruiser.cjs');

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycle',
      comment:
        'Two folders that import each other, directly or through others (e.g. repositories ↔ core, core ↔ services): ' +
        'one of them is on the wrong layer; move the shared part below both.',
      severity: 'error',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
  ],
  options: { ...options, includeOnly: '^(src/[^/]+/|commands/|db/)' },
};
