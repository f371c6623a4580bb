/**
 * The one place that knows where the compiled entry modules live:
 * `dist/entry/<role>.js`, next to this module's `dist/internal/`.
 */
import { fileURLToPath } from 'node:url';

/** Absolute path of the compiled entry for `role`. */
export function entryPath(role: 'server'): string {
  return fileURLToPath(new URL(`../entry/${role}.js`, import.meta.url));
}
