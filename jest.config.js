/**
 * One jest run for every workspace package; tests live beside the code. Everything we load is
 * CommonJS (Octokit is the @octokit/rest 19 line Backstage itself uses), so node_modules are never
 * transformed.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/plugins', '<rootDir>/packages'],
  testMatch: ['**/src/**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }],
  },
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  reporters: ['default', '<rootDir>/.ci/jest-summary-reporter.js'],
  // The catalog module's test runs a real Backstage catalog backend, which leaves a handle open
  // after backend.stop() that --detectOpenHandles does not name; without this jest never exits.
  forceExit: true,
};
