import preset from '../jest.preset.js';

export default {
  ...preset,
  displayName: 'docs',
  reporters: ['default', '<rootDir>/../tools/scripts/jest-totals-reporter.cjs'],
};
