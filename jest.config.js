/** One jest run for every workspace package; tests live beside the code. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/plugins', '<rootDir>/packages'],
  testMatch: ['**/src/**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }],
  },
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  reporters: ['default', '<rootDir>/.ci/jest-summary-reporter.js'],
};
