// backstage-cli package lint (ESLint 8 with Backstage's rules); the root's `npm run lint` runs ESLint 9
// over the whole repository. @typescript-eslint/no-unused-expressions is off here only because
// the hoisted typescript-eslint 8 reads that rule's defaults from ESLint 9, which ESLint 8 lacks.
module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: { '@typescript-eslint/no-unused-expressions': 'off' },
  overrides: [
    // Test helpers (excluded from the build, like Backstage's __testUtils__): their imports are
    // development dependencies, which @backstage/no-undeclared-imports only knows by that folder name.
    {
      files: ['src/testing/**'],
      rules: { '@backstage/no-undeclared-imports': 'off' },
    },
    // Tests only: the schema test checks the rendered catalog entity with the catalog's own
    // policies (checkResourceEntity of the node library). Test files are never built or packed, so
    // the published common library still imports no node library.
    {
      files: ['src/**/*.test.ts'],
      rules: { '@backstage/no-mixed-plugin-imports': 'off' },
    },
    // The aks-gitops CLI writes to the terminal.
    {
      files: ['src/cli.ts', 'src/*/cli.ts'],
      rules: { 'no-console': 'off' },
    },
  ],
});
