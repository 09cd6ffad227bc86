/**
 * One jest run for every workspace package; tests live beside the code.
 * @octokit/* 22+ ship ES modules only, which jest's CommonJS runtime cannot require: those few
 * packages are transpiled to CommonJS like our own sources (Node itself loads them natively).
 */
const ESM_ONLY = ['@octokit', 'universal-user-agent', 'before-after-hook', 'fast-content-type-parse', 'universal-github-app-jwt', 'toad-cache', 'json-with-bigint', 'content-type'];

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/plugins', '<rootDir>/packages'],
  testMatch: ['**/src/**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }],
    '^.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', target: 'es2022', isolatedModules: true } }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  reporters: ['default', '<rootDir>/.ci/jest-summary-reporter.js'],
  // The catalog module's test runs a real Backstage catalog backend, which leaves a handle open
  // after backend.stop() that --detectOpenHandles does not name; without this jest never exits.
  forceExit: true,
};
