import preset from '../../jest.preset.js';

export default { ...preset, displayName: 'consumers', testTimeout: 180_000 };
