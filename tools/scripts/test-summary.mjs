// Prints the totals of every jest project run by `npm test` as one closing
// line, `N passed, N failed` (plus skipped), and fails if a project failed or
// no test ran at all.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../../.test-results/', import.meta.url));
const mode = process.argv[2];
if (mode === '--reset') {
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}
let passed = 0;
let failed = 0;
let skipped = 0;
let files = [];
try {
  files = readdirSync(dir).filter((f) => f.endsWith('.json'));
} catch {
  // no results: reported below
}
for (const file of files) {
  const t = JSON.parse(readFileSync(dir + file, 'utf8'));
  passed += t.passed;
  failed += t.failed;
  skipped += t.skipped;
  console.log(`${t.project}: ${t.passed} passed, ${t.failed} failed`);
}
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
if (failed > 0 || passed === 0) process.exitCode = 1;
