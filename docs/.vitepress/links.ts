/**
 * Links on the site go only to pages of the site or to files of the
 * repository. The package READMEs, the root README and CONTRIBUTING are pages
 * here too, so a Markdown link written for the repository (`../pool/README.md`,
 * `../../docs/python-parity.md`) is mapped to the page that shows that file,
 * and a link to any other file of the repository goes to that file on GitHub.
 */
import { existsSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const repoUrl = 'https://github.com/multiprocessing-js/multiprocessing';

/** The packages that have a page made of their README, in the order the site lists them. */
export const packageNames = [
  'core',
  'value-lock',
  'process',
  'queue',
  'pool',
  'manager',
  'cluster',
  'all',
] as const;

/** Site pages whose whole text is a file from outside `docs/`: page → repository path. */
export const includedPages: ReadonlyMap<string, string> = new Map([
  ['overview.md', 'README.md'],
  ['contributing/index.md', 'CONTRIBUTING.md'],
  ...packageNames.map((p): [string, string] => [`packages/${p}.md`, `packages/${p}/README.md`]),
]);

const pageOf = new Map([...includedPages].map(([page, file]) => [file, page]));

/** The repository path a page's links are relative to. */
export function sourceOf(page: string): string {
  return includedPages.get(page) ?? `docs/${page}`;
}

/**
 * Where `href`, written in repository file `from`, points on the site:
 * `/page.md#anchor` for a page, a GitHub address for another file, and
 * `href` itself when it is not a relative link.
 */
export function siteHref(from: string, href: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('#') || href.startsWith('/')) return href;
  const hash = href.indexOf('#');
  const path = hash === -1 ? href : href.slice(0, hash);
  const anchor = hash === -1 ? '' : href.slice(hash);
  if (path === '') return href;
  const target = posix.normalize(posix.join(posix.dirname(from), path)).replace(/\/$/, '');
  const page = pageOf.get(target);
  if (page !== undefined) return `/${page}${anchor}`;
  if (target.startsWith('docs/')) {
    const inDocs = target.slice('docs/'.length);
    if (inDocs.endsWith('.md')) return `/${inDocs}${anchor}`;
    if (existsSync(`${repoRoot}${target}/index.md`)) return `/${inDocs}/${anchor}`;
  }
  const isDir = existsSync(`${repoRoot}${target}`) && statSync(`${repoRoot}${target}`).isDirectory();
  return `${repoUrl}/${isDir ? 'tree' : 'blob'}/main/${target}${anchor}`;
}
