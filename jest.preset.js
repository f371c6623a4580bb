// Shared jest settings. Tests are ESM TypeScript, transformed by @swc/jest and
// run in jest's native ESM mode (node --experimental-vm-modules); see
// docs/decisions/0002-module-format-tests-typescript.md.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript' },
          target: 'es2022',
        },
        module: { type: 'es6' },
      },
    ],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/../../tools/scripts/jest-totals-reporter.cjs'],
  maxWorkers: 1,
};
