// backstage-cli package lint (ESLint 8 with Backstage's rules); the root's `npm run lint` runs ESLint 9
// over the whole repository. @typescript-eslint/no-unused-expressions is off here only because
// the hoisted typescript-eslint 8 reads that rule's defaults from ESLint 9, which ESLint 8 lacks.
module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: { '@typescript-eslint/no-unused-expressions': 'off' },
});
