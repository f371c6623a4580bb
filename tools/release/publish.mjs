// The `nx-release-publish` target of every published package: checks the
// tarball (tools/release/check-pack.mjs), then runs `npm publish` in the
// package's folder. `nx release publish` passes its options as arguments
// (--dryRun, --tag, --registry, --otp, --access and some of its own, which are
// ignored).
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { checkPackage } from './check-pack.mjs';

const { values } = parseArgs({
  options: {
    tag: { type: 'string' },
    registry: { type: 'string' },
    otp: { type: 'string' },
    access: { type: 'string' },
  },
  strict: false,
});

const dir = process.cwd();
const problems = checkPackage(dir);
if (problems.length > 0) {
  for (const p of problems) console.error(p);
  process.exit(1);
}

const dryRun = process.argv.slice(2).some((a) => /^--dry-?run(=true)?$/i.test(a));
const args = ['publish', '--access', typeof values.access === 'string' ? values.access : 'public'];
if (dryRun) args.push('--dry-run');
if (typeof values.tag === 'string') args.push('--tag', values.tag);
if (typeof values.registry === 'string') args.push('--registry', values.registry);
if (typeof values.otp === 'string') args.push('--otp', values.otp);
execFileSync('npm', args, { cwd: dir, stdio: 'inherit' });
