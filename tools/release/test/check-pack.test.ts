// The published tarballs: LICENSE, README.md, package.json and dist/ only,
// the LICENSE the same as the root one, and every source map resolvable.
import { basename } from 'node:path';
import { checkPackage, mapProblems, releasedPackageDirs } from '../check-pack.mjs';

describe('mapProblems', () => {
  const shipped = new Set(['dist/index.js', 'dist/index.js.map', 'src/shipped.ts']);

  it('flags a source that is neither shipped nor inlined', () => {
    const map = { version: 3, sources: ['../src/index.ts'], mappings: '' };
    expect(mapProblems('dist/index.js.map', map, shipped)).toEqual([
      'dist/index.js.map: source ../src/index.ts is neither shipped (src/index.ts) nor inlined',
    ]);
  });

  it('accepts a source whose text is inlined', () => {
    const map = {
      version: 3,
      sources: ['../src/index.ts'],
      sourcesContent: ['export {};'],
      mappings: '',
    };
    expect(mapProblems('dist/index.js.map', map, shipped)).toEqual([]);
  });

  it('accepts a source that is shipped, honouring sourceRoot', () => {
    const map = {
      version: 3,
      sourceRoot: '../src/',
      sources: ['shipped.ts'],
      mappings: '',
    };
    expect(mapProblems('dist/index.js.map', map, shipped)).toEqual([]);
  });

  it('flags a map without sources', () => {
    expect(mapProblems('dist/index.js.map', { version: 3, sources: [], mappings: '' }, shipped)).toEqual([
      'dist/index.js.map: no sources',
    ]);
  });
});

describe('npm pack of every released package', () => {
  const dirs = releasedPackageDirs();

  it('covers the eight packages of the release group', () => {
    expect(dirs.map((d) => basename(d))).toEqual([
      'core',
      'value-lock',
      'process',
      'queue',
      'pool',
      'manager',
      'cluster',
      'all',
    ]);
  });

  it.each(dirs.map((d): [string, string] => [basename(d), d]))(
    '%s ships LICENSE, README.md, package.json, dist/ and resolvable maps',
    (_name, dir) => {
      expect(checkPackage(dir)).toEqual([]);
    },
  );
});
