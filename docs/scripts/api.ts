/**
 * The API reference: TypeDoc over the public entry points of the seven packages
 * (`packages/<name>/src/index.ts`), one module per package named by its npm
 * name, written as Markdown under `docs/api/` by typedoc-plugin-markdown and
 * typedoc-vitepress-theme, with the VitePress sidebar in
 * `docs/api/typedoc-sidebar.json` (links under `/api/`).
 *
 * The build fails when an exported name or member has no doc comment, when a
 * `{@link}` does not resolve, or when a public signature uses a type the
 * packages do not export: the error lists every such name.
 *
 * Run directly (`npx tsx docs/scripts/api.ts`) it builds and prints one line.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Application, ConsoleLogger, Converter, LogLevel, ReflectionKind, TSConfigReader } from 'typedoc';
import type { Context, DeclarationReflection, TypeDocOptions } from 'typedoc';
import type { PluginOptions } from 'typedoc-plugin-markdown';
import { repoRoot, repoUrl } from '../.vitepress/links.js';

/** The packages the reference documents, in the order the site lists them. */
export const apiPackages = ['core', 'value-lock', 'process', 'queue', 'pool', 'manager', 'cluster'] as const;

export { repoRoot };

/** The VitePress root (`docs/`). */
export const docsRoot = join(repoRoot, 'docs');

/** Where the reference is written by default (`docs/api/`, ignored by git). */
export const apiDir = join(docsRoot, 'api');

/**
 * The program TypeDoc compiles: the seven packages' sources, with each
 * `@multiprocessing/<name>` import mapped to its sibling's `src/` so a name one
 * package re-exports from another links to the page of the package that
 * defines it instead of being documented twice.
 */
export const apiTsconfig = join(docsRoot, 'tsconfig.typedoc.json');

/** One item of a VitePress sidebar, as typedoc-vitepress-theme writes it. */
export interface ApiSidebarItem {
  text: string;
  link?: string;
  collapsed?: boolean;
  items?: ApiSidebarItem[];
}

/** What {@link buildApi} documents and where it writes. */
export interface BuildApiOptions {
  /** Source files, each one module; by default the seven packages' `src/index.ts`. */
  entryPoints?: readonly string[];
  /** The directory the Markdown is written to, emptied first; `docs/api/` by default. */
  out?: string;
  /** The tsconfig of the program; {@link apiTsconfig} by default. */
  tsconfig?: string;
  /** `false` to convert and validate only, writing nothing. Default `true`. */
  render?: boolean;
}

/** A finished build of the reference. */
export interface ApiBuild {
  /** The directory the pages were written to. */
  out: string;
  /** The modules documented, by name (`@multiprocessing/pool`, …). */
  modules: string[];
  /** The VitePress sidebar (also written to `typedoc-sidebar.json` in `out`); empty when not rendered. */
  sidebar: ApiSidebarItem[];
  /** How long the build took, in milliseconds. */
  durationMs: number;
}

/** A build that TypeDoc reported problems for; `problems` has one line per message. */
export class ApiDocsError extends Error {
  /** TypeDoc's warnings and errors, one per entry, without colour codes. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`API reference: ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ApiDocsError';
    this.problems = problems;
  }
}

/** TypeDoc's console logger, keeping warnings and errors for the error instead of printing them. */
class CollectingLogger extends ConsoleLogger {
  readonly problems: string[] = [];

  override log(message: string, level: Exclude<LogLevel, LogLevel.None>): void {
    if (level >= LogLevel.Warn) {
      // eslint-disable-next-line no-control-regex
      this.problems.push(message.replace(/\x1b\[[0-9;]*m/g, ''));
    }
  }
}

/** The name of the npm package a file belongs to (its nearest package.json). */
function packageNameOf(file: string): string | undefined {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name;
  }
  return undefined;
}

/** The TypeDoc options of the reference; exported so a test can run the same checks on a fixture. */
export function typedocOptions(
  options: BuildApiOptions = {},
): TypeDocOptions & PluginOptions & Record<string, unknown> {
  const out = options.out ?? apiDir;
  return {
    entryPoints: [
      ...(options.entryPoints ?? apiPackages.map((p) => join(repoRoot, `packages/${p}/src/index.ts`))),
    ],
    entryPointStrategy: 'resolve',
    sortEntryPoints: false,
    tsconfig: options.tsconfig ?? apiTsconfig,
    plugin: ['typedoc-plugin-markdown', 'typedoc-vitepress-theme'],
    out,
    basePath: repoRoot,
    displayBasePath: repoRoot,
    sourceLinkTemplate: `${repoUrl}/blob/main/{path}#L{line}`,
    disableGit: true,
    readme: 'none',
    logLevel: 'Warn',
    // The packages' own builds type-check these sources; skipping it here halves the build.
    skipErrorChecking: true,
    name: 'API reference',
    excludePrivate: true,
    excludeProtected: true,
    excludeInternal: true,
    excludeExternals: true,
    excludeNotDocumented: false,
    sort: ['kind', 'instance-first', 'alphabetical-ignoring-documents'],
    // The checks: every exported name and member documented, every link resolved, no hidden types.
    validation: { notExported: true, notDocumented: true, invalidLink: true, invalidPath: true },
    treatValidationWarningsAsErrors: true,
    packagesRequiringDocumentation: [
      ...apiPackages.map((p) => `@multiprocessing/${p}`),
      ...(options.entryPoints ?? []).map((e) => packageNameOf(e) ?? ''),
    ].filter((p, i, all) => p !== '' && all.indexOf(p) === i),
    // typedoc-plugin-markdown: one page per class, interface, function and type; readable tables.
    router: 'member',
    excludeScopesInPaths: true,
    hidePageHeader: true,
    hideBreadcrumbs: true,
    useCodeBlocks: true,
    expandObjects: false,
    parametersFormat: 'table',
    interfacePropertiesFormat: 'table',
    classPropertiesFormat: 'table',
    typeDeclarationFormat: 'table',
    enumMembersFormat: 'table',
    indexFormat: 'table',
    // typedoc-vitepress-theme: sidebar links relative to the VitePress root.
    docsRoot,
    sidebar: { autoConfiguration: true, format: 'vitepress', pretty: true, collapsed: true },
  };
}

/**
 * Builds the API reference: converts the packages with TypeDoc, validates
 * them, and (unless `render` is false) writes the Markdown pages and
 * `typedoc-sidebar.json` to `out`.
 *
 * @throws {@link ApiDocsError} listing every undocumented exported name or
 *   member, unresolved `{@link}`, unexported type in a public signature and
 *   any other warning TypeDoc reports (type errors are left to the packages'
 *   own builds).
 */
export async function buildApi(options: BuildApiOptions = {}): Promise<ApiBuild> {
  const start = Date.now();
  const settings = typedocOptions(options);
  const app = await Application.bootstrapWithPlugins(settings, [new TSConfigReader()]);
  const logger = new CollectingLogger();
  logger.level = LogLevel.Warn;
  app.logger = logger;

  // Each entry point's module is named by its package's npm name.
  app.converter.on(
    Converter.EVENT_CREATE_DECLARATION,
    (context: Context, reflection: DeclarationReflection) => {
      if (reflection.kind !== ReflectionKind.Module) return;
      const file = context.getSymbolFromReflection(reflection)?.declarations?.[0]?.getSourceFile().fileName;
      const name = file === undefined ? undefined : packageNameOf(file);
      if (name !== undefined) reflection.name = name;
    },
  );

  const project = await app.convert();
  if (project === undefined) {
    throw new ApiDocsError(
      logger.problems.length > 0 ? logger.problems : ['TypeDoc did not convert the project'],
    );
  }
  app.validate(project);
  if (logger.problems.length > 0) throw new ApiDocsError(logger.problems);

  const out = settings.out ?? apiDir;
  let sidebar: ApiSidebarItem[] = [];
  if (options.render !== false) {
    await app.generateOutputs(project);
    if (logger.problems.length > 0) throw new ApiDocsError(logger.problems);
    sidebar = JSON.parse(readFileSync(join(out, 'typedoc-sidebar.json'), 'utf8')) as ApiSidebarItem[];
  }
  const modules = (project.children ?? []).filter((c) => c.kind === ReflectionKind.Module).map((c) => c.name);
  return { out, modules, sidebar, durationMs: Date.now() - start };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const build = await buildApi();
    console.log(
      `API reference: ${build.modules.length} packages in ${relative(process.cwd(), build.out) || '.'}/ ` +
        `in ${(build.durationMs / 1000).toFixed(1)} s`,
    );
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
