/**
 * The API reference builds from the packages' TSDoc into `docs/api/`, a
 * folder and a sidebar entry per package; and its check for undocumented
 * names and unresolved links really fails a build (on a fixture), so it
 * cannot silently stop working.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiDocsError, apiDir, apiPackages, buildApi } from '../scripts/api.js';
import type { ApiBuild } from '../scripts/api.js';

const fixtures = fileURLToPath(new URL('./fixtures/api/', import.meta.url));

describe('the API reference', () => {
  let build: ApiBuild;

  beforeAll(async () => {
    build = await buildApi();
  }, 240_000);

  test('documents one module per package, named by its npm name', () => {
    expect(build.out).toBe(apiDir);
    expect(build.modules).toEqual(apiPackages.map((p) => `@multiprocessing/${p}`));
  });

  test.each(apiPackages)('%s has its folder and index page', (p) => {
    const page = join(apiDir, p, 'index.md');
    expect(existsSync(page)).toBe(true);
    expect(readFileSync(page, 'utf8')).toContain(`# @multiprocessing/${p}`);
  });

  test('has a page for Pool that documents starmap', () => {
    const page = join(apiDir, 'pool', 'classes', 'Pool.md');
    expect(existsSync(page)).toBe(true);
    expect(readFileSync(page, 'utf8')).toContain('starmap');
  });

  test('links a name a package re-exports to the package that defines it', () => {
    const page = readFileSync(join(apiDir, 'pool', 'index.md'), 'utf8');
    expect(page).toContain('](../core/classes/BrokenPoolError.md)');
    expect(existsSync(join(apiDir, 'pool', 'classes', 'BrokenPoolError.md'))).toBe(false);
  });

  test('writes a VitePress sidebar with an entry per package, under /api/', () => {
    const file = join(apiDir, 'typedoc-sidebar.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(build.sidebar);
    expect(build.sidebar.map((item) => [item.text, item.link])).toEqual(
      apiPackages.map((p) => [`@multiprocessing/${p}`, `/api/${p}/`]),
    );
  });
});

describe('the documentation check', () => {
  test('fails the build, naming an exported function without a doc comment', async () => {
    const error: unknown = await buildApi({
      entryPoints: [join(fixtures, 'undocumented.ts')],
      tsconfig: join(fixtures, 'tsconfig.json'),
      render: false,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiDocsError);
    const problems = (error as ApiDocsError).problems;
    expect(problems).toEqual([
      expect.stringMatching(/\bundocumentedHelper\b.*does not have any documentation/),
    ]);
    expect((error as Error).message).toContain('undocumentedHelper');
  }, 120_000);

  test('fails the build on a {@link} that does not resolve', async () => {
    const error: unknown = await buildApi({
      entryPoints: [join(fixtures, 'broken-link.ts')],
      tsconfig: join(fixtures, 'tsconfig.json'),
      render: false,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiDocsError);
    expect((error as ApiDocsError).problems).toEqual([expect.stringContaining('noSuchName')]);
  }, 120_000);
});
