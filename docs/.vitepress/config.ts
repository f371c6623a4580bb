import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { defineConfig } from 'vitepress';
import type { DefaultTheme } from 'vitepress';
import { listRecipes } from '../scripts/recipe-list.js';
import { packageNames, repoUrl, siteHref, sourceOf } from './links.js';

const docsDir = new URL('../', import.meta.url);

/**
 * Heading anchors as GitHub makes them (lower case, punctuation dropped, each
 * space a hyphen), so a `#anchor` link works the same on GitHub and here.
 * Leading and trailing `_`/`-` go too, as the API pages' links expect
 * (`### _token` is `#token`).
 */
function githubSlug(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '')
    .replace(/\s/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '');
}

/** The first heading of a Markdown file, as its title in the sidebar. */
function titleOf(file: URL): string {
  const heading = /^#\s+(.+)$/m.exec(readFileSync(file, 'utf8'));
  return (heading?.[1] ?? file.pathname).replace(/`/g, '');
}

function decisions(): DefaultTheme.SidebarItem[] {
  return readdirSync(new URL('decisions/', docsDir))
    .filter((f) => /^\d{4}-.+\.md$/.test(f))
    .sort()
    .map((f) => ({ text: titleOf(new URL(`decisions/${f}`, docsDir)), link: `/decisions/${f}` }));
}

/** The API reference's sidebar, written by TypeDoc before the site is built. */
function apiSidebar(): DefaultTheme.SidebarItem[] {
  const file = new URL('api/typedoc-sidebar.json', docsDir);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DefaultTheme.SidebarItem[]) : [];
}

const recipes: DefaultTheme.SidebarItem[] = listRecipes().map((r) => ({
  text: r.title,
  link: `/recipes/${r.id}/`,
}));

const packages: DefaultTheme.SidebarItem[] = packageNames.map((p) => ({
  text: `@multiprocessing/${p}`,
  link: `/packages/${p}`,
}));

export default defineConfig({
  title: '@multiprocessing',
  description: "Python's multiprocessing for Node.js and TypeScript",
  lang: 'en-US',
  srcExclude: ['**/node_modules/**', 'test/**', 'README.md'],
  lastUpdated: false,
  cleanUrls: false,
  markdown: {
    anchor: { slugify: githubSlug },
    config(md) {
      // Links written for the repository (README to README, docs to packages) become site links.
      md.core.ruler.after('inline', 'repository-links', (state) => {
        const env = state.env as { relativePath?: string };
        if (env.relativePath === undefined) return;
        const from = sourceOf(env.relativePath);
        for (const block of state.tokens) {
          for (const token of block.children ?? []) {
            if (token.type !== 'link_open') continue;
            const href = token.attrGet('href');
            if (href !== null) token.attrSet('href', siteHref(from, href));
          }
        }
      });
    },
  },
  themeConfig: {
    nav: [
      { text: 'Guide', link: '/overview' },
      { text: 'Recipes', link: '/recipes/' },
      { text: 'API', link: '/api/' },
      { text: 'Python parity', link: '/python-parity' },
      { text: 'Benchmarks', link: '/benchmarks' },
    ],
    sidebar: [
      {
        text: 'Guide',
        items: [
          { text: 'Overview', link: '/overview' },
          { text: 'Between processes', link: '/between-processes' },
          { text: 'Past one machine', link: '/cluster' },
          { text: 'Python parity', link: '/python-parity' },
          { text: 'Benchmarks', link: '/benchmarks' },
        ],
      },
      { text: 'Recipes', link: '/recipes/', items: recipes },
      { text: 'Packages', items: packages, collapsed: false },
      { text: 'API reference', link: '/api/', items: apiSidebar(), collapsed: true },
      { text: 'Decisions', items: decisions(), collapsed: true },
      {
        text: 'Contributing',
        collapsed: true,
        items: [
          { text: 'Contributing', link: '/contributing/' },
          { text: 'Releasing', link: '/contributing/releasing' },
        ],
      },
    ],
    search: { provider: 'local' },
    outline: { level: [2, 3] },
    socialLinks: [{ icon: 'github', link: repoUrl }],
    footer: { message: 'MIT licensed' },
  },
});
