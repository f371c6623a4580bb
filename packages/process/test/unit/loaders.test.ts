import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loaderSpecifiers, tsxRoot } from '../../src/internal/loaders.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

describe(loaderSpecifiers, () => {
  it('reads --import, --loader and --require in both spellings', () => {
    expect(
      loaderSpecifiers([
        '--import',
        'tsx',
        '--loader=ts-node/esm',
        '-r',
        './pre.cjs',
        '--require=x',
        '--max-old-space-size=64',
        '--import',
      ]),
    ).toEqual(['tsx', 'ts-node/esm', './pre.cjs', 'x']);
  });
});

describe(tsxRoot, () => {
  it('finds tsx named by its package name, from the working directory', () => {
    expect(tsxRoot('tsx', repoRoot)).toBe(join(repoRoot, 'node_modules', 'tsx'));
    expect(tsxRoot('tsx/esm', repoRoot)).toBe(join(repoRoot, 'node_modules', 'tsx'));
  });

  it('finds tsx named by the file URL the tsx CLI passes', () => {
    expect(tsxRoot('file:///opt/app/node_modules/tsx/dist/loader.mjs', '/')).toBe(
      '/opt/app/node_modules/tsx',
    );
    expect(tsxRoot('/opt/app/node_modules/tsx/dist/preflight.cjs', '/')).toBe('/opt/app/node_modules/tsx');
  });

  it('ignores other loaders', () => {
    expect(tsxRoot('ts-node/esm', repoRoot)).toBeUndefined();
    expect(tsxRoot('./instrument.mjs', repoRoot)).toBeUndefined();
    expect(tsxRoot('tsx', '/')).toBeUndefined();
  });
});
