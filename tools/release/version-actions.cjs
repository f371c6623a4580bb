// Version actions for `nx release` on our npm-workspace packages: read and
// write the `version` of a package.json and the ranges its dependency
// collections give sibling packages. Nx ships this for JavaScript only in
// @nx/js, which the project does not install (decision 0009), so nx.json's
// `release.version.versionActions` points here. CommonJS because nx loads it
// with require().
'use strict';

const { execFileSync } = require('node:child_process');
const { join } = require('node:path');
const { VersionActions } = require('nx/release');

const COLLECTIONS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'];
const LOCAL_PROTOCOL = /^(workspace|file|link|portal):/;

function readJson(tree, path) {
  const text = tree.read(path, 'utf-8');
  if (text === null) throw new Error(`${path} does not exist`);
  return JSON.parse(text);
}

function writeJson(tree, path, value) {
  tree.write(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** The npm name of a project of the graph (our project names are package names). */
function packageNameOf(projectGraph, projectName) {
  const node = projectGraph.nodes[projectName];
  return node?.data?.metadata?.js?.packageName ?? projectName;
}

class NpmWorkspaceVersionActions extends VersionActions {
  validManifestFilenames = ['package.json'];

  manifestPath() {
    return join(this.projectGraphNode.data.root, 'package.json');
  }

  async readCurrentVersionFromSourceManifest(tree) {
    const manifestPath = this.manifestPath();
    const { version } = readJson(tree, manifestPath);
    if (typeof version !== 'string') {
      throw new Error(`${manifestPath} has no "version" to start from`);
    }
    return { currentVersion: version, manifestPath };
  }

  async readCurrentVersionFromRegistry(tree, metadata = {}) {
    const { name } = readJson(tree, this.manifestPath());
    const tag = typeof metadata.tag === 'string' ? metadata.tag : 'latest';
    const args = ['view', `${name}@${tag}`, 'version'];
    if (typeof metadata.registry === 'string') args.push('--registry', metadata.registry);
    let currentVersion = null;
    try {
      currentVersion =
        execFileSync('npm', args, {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        }).trim() || null;
    } catch {
      // not published yet (E404): nx then applies fallbackCurrentVersionResolver
    }
    return { currentVersion, logText: `npm view ${name}@${tag}` };
  }

  async readCurrentVersionOfDependency(tree, projectGraph, dependencyProjectName) {
    const manifest = readJson(tree, this.manifestPath());
    const dependencyName = packageNameOf(projectGraph, dependencyProjectName);
    for (const collection of COLLECTIONS) {
      const range = manifest[collection]?.[dependencyName];
      if (typeof range === 'string') return { currentVersion: range, dependencyCollection: collection };
    }
    return { currentVersion: null, dependencyCollection: null };
  }

  async updateProjectVersion(tree, newVersion) {
    const logs = [];
    for (const { manifestPath } of this.manifestsToUpdate) {
      const manifest = readJson(tree, manifestPath);
      manifest.version = newVersion;
      writeJson(tree, manifestPath, manifest);
      logs.push(`✍️  New version ${newVersion} written to manifest: ${manifestPath}`);
    }
    return logs;
  }

  /**
   * `dependenciesToUpdate` maps a project to its new range, prefixed by nx
   * from `release.version.versionPrefix` ("^" here, so ranges stay carets).
   * A range in a local protocol (`workspace:`, `file:` …) is kept when the
   * manifest root asks to preserve local dependency protocols.
   */
  async updateProjectDependencies(tree, projectGraph, dependenciesToUpdate) {
    const logs = [];
    for (const { manifestPath, preserveLocalDependencyProtocols } of this.manifestsToUpdate) {
      const manifest = readJson(tree, manifestPath);
      let updated = 0;
      for (const [projectName, range] of Object.entries(dependenciesToUpdate)) {
        const dependencyName = packageNameOf(projectGraph, projectName);
        for (const collection of COLLECTIONS) {
          const current = manifest[collection]?.[dependencyName];
          if (typeof current !== 'string' || current === range) continue;
          if (preserveLocalDependencyProtocols && LOCAL_PROTOCOL.test(current)) continue;
          manifest[collection][dependencyName] = range;
          updated += 1;
        }
      }
      if (updated > 0) {
        writeJson(tree, manifestPath, manifest);
        logs.push(
          `✍️  Updated ${updated} ${updated === 1 ? 'dependency' : 'dependencies'} in manifest: ${manifestPath}`,
        );
      }
    }
    return logs;
  }
}

/**
 * After every manifest is written, bring package-lock.json in line (the
 * workspace entries record each package's version and ranges), then restore
 * the other platforms' optional entries, as CONTRIBUTING.md asks after any
 * lockfile change. Nothing runs under --dry-run.
 */
async function afterAllProjectsVersioned(cwd, { dryRun } = {}) {
  if (dryRun) return { changedFiles: [], deletedFiles: [] };
  execFileSync('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd,
    stdio: 'inherit',
  });
  execFileSync(process.execPath, [join(cwd, 'tools/scripts/lock-foreign-platforms.mjs')], {
    cwd,
    stdio: 'inherit',
  });
  return { changedFiles: ['package-lock.json'], deletedFiles: [] };
}

module.exports = NpmWorkspaceVersionActions;
module.exports.default = NpmWorkspaceVersionActions;
module.exports.afterAllProjectsVersioned = afterAllProjectsVersioned;
