// The umbrella exports every public name of the six packages, values and
// types, under the same name or its documented alias, as the very same
// object, and nothing else.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import * as all from '@multiprocessing/all';
import * as core from '@multiprocessing/core';
import * as valueLock from '@multiprocessing/value-lock';
import * as processPkg from '@multiprocessing/process';
import * as queue from '@multiprocessing/queue';
import * as pool from '@multiprocessing/pool';
import * as manager from '@multiprocessing/manager';

const packages: Record<string, Record<string, unknown>> = {
  core,
  'value-lock': valueLock,
  process: processPkg,
  queue,
  pool,
  manager,
};

/** The clashes resolved by renaming, as listed in the README. */
const aliases: Record<string, Record<string, string>> = {
  manager: { Connection: 'SocketConnection', wait: 'connectionWait' },
  'value-lock': { copy: 'sharedctypesCopy' },
};

const umbrellaName = (pkg: string, name: string): string => aliases[pkg]?.[name] ?? name;

describe('@multiprocessing/all runtime exports', () => {
  it.each(Object.keys(packages))('has every value of @multiprocessing/%s, identical', (pkg) => {
    const mod = packages[pkg]!;
    const names = Object.keys(mod);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      const exported = umbrellaName(pkg, name);
      expect({ name: exported, present: exported in all }).toEqual({ name: exported, present: true });
      expect({ name: exported, same: (all as Record<string, unknown>)[exported] === mod[name] }).toEqual({
        name: exported,
        same: true,
      });
    }
  });

  it('exports nothing beyond the six packages', () => {
    const expected = new Set<string>();
    for (const [pkg, mod] of Object.entries(packages)) {
      for (const name of Object.keys(mod)) expected.add(umbrellaName(pkg, name));
    }
    expect(Object.keys(all).sort()).toEqual([...expected].sort());
  });

  it('keeps the Python meaning for Connection: the Pipe end', () => {
    expect(all.Connection).toBe(queue.Connection);
    expect(all.SocketConnection).toBe(manager.Connection);
    expect(all.Connection).not.toBe(all.SocketConnection);
  });
});

/** Every export (value or type) of a package's published .d.ts, by name, mapped to its declaration. */
function declaredExports(program: ts.Program, file: string): Map<string, ts.Declaration | undefined> {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  if (source === undefined) throw new Error(`${file} is not in the program`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  if (moduleSymbol === undefined) throw new Error(`${file} is not a module`);
  const out = new Map<string, ts.Declaration | undefined>();
  for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    out.set(symbol.name, target.declarations?.[0]);
  }
  return out;
}

describe('@multiprocessing/all type exports', () => {
  const require = createRequire(import.meta.url);
  const typesOf = (pkg: string): string =>
    join(dirname(require.resolve(`${pkg}/package.json`)), 'dist', 'index.d.ts');
  const files = Object.fromEntries(
    ['all', ...Object.keys(packages)].map((p) => [p, typesOf(`@multiprocessing/${p}`)]),
  );
  const program = ts.createProgram(Object.values(files), {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
  });
  const umbrella = declaredExports(program, files.all!);

  it.each(Object.keys(packages))('has every name of @multiprocessing/%s, same declaration', (pkg) => {
    const own = declaredExports(program, files[pkg]!);
    expect(own.size).toBeGreaterThan(0);
    for (const [name, declaration] of own) {
      const exported = umbrellaName(pkg, name);
      expect({ name: exported, present: umbrella.has(exported) }).toEqual({ name: exported, present: true });
      expect(declaration).toBeDefined();
      expect({ name: exported, same: umbrella.get(exported) === declaration }).toEqual({
        name: exported,
        same: true,
      });
    }
  });

  it('declares nothing beyond the six packages', () => {
    const expected = new Set<string>();
    for (const pkg of Object.keys(packages)) {
      for (const name of declaredExports(program, files[pkg]!).keys()) expected.add(umbrellaName(pkg, name));
    }
    expect([...umbrella.keys()].sort()).toEqual([...expected].sort());
  });
});
