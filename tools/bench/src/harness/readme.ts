/**
 * Puts the latest table into the root README, between the markers
 * `<!-- bench:start -->` and `<!-- bench:end -->` (the rest of the README is
 * someone else's).
 */
import { readFile, writeFile } from 'node:fs/promises';

export const START_MARKER = '<!-- bench:start -->';
export const END_MARKER = '<!-- bench:end -->';

/**
 * Returns `text` with everything between the markers replaced by `block`,
 * or undefined when the markers are missing or out of order.
 */
export function replaceBlock(text: string, block: string): string | undefined {
  const start = text.indexOf(START_MARKER);
  const end = text.indexOf(END_MARKER, start + START_MARKER.length);
  if (start < 0 || end < 0) return undefined;
  return `${text.slice(0, start + START_MARKER.length)}\n${block.trim()}\n${text.slice(end)}`;
}

/**
 * Replaces the marked block of the README at `path`. Resolves to false (and
 * leaves the file alone) when the markers are missing.
 */
export async function updateReadme(path: string, block: string): Promise<boolean> {
  const text = await readFile(path, 'utf8');
  const next = replaceBlock(text, block);
  if (next === undefined) return false;
  if (next !== text) await writeFile(path, next);
  return true;
}
