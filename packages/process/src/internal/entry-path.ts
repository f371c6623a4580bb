/**
 * Where the compiled entry modules live. The ONE place that knows the layout
 * of `dist/entry/` (STYLE.md §7): every other module asks this one.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The entry modules this package ships, by role. */
export type EntryRole = 'bootstrap' | 'process-target';

/** Absolute path of the compiled entry module for `role`. */
export function entryPath(role: EntryRole): string {
  return join(import.meta.dirname, '..', 'entry', `${role}.js`);
}

/** `file:` URL of the compiled entry module for `role`. */
export function entryUrl(role: EntryRole): string {
  return pathToFileURL(entryPath(role)).href;
}
