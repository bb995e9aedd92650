// Installs everything the code-server end-to-end test needs into a cache outside the repository, following
// /work/shared/real-vscode.md. Every step checks first, so a warm cache costs a few file lookups and a fresh
// CI machine pays the install once (about a minute for code-server, plus apt).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';
// The @vscode/ripgrep inside code-server 4.100.3 and the archive name its install script looks for.
const RIPGREP_PACKAGE_VERSION = '1.15.11';
const RIPGREP_ARCHIVE = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';
const DEBIAN_PACKAGES = ['libkrb5-dev', 'libsecret-1-dev', 'libx11-dev', 'libxkbfile-dev', 'ripgrep', 'chromium'];
export const CHROMIUM = '/usr/bin/chromium';

/** Thrown when the machine cannot host the test at all (not when an install merely fails). */
export class InstallImpossible extends Error {}

export function cacheRoot(): string {
  return process.env.SKIPCHECK_E2E_CACHE ?? join(homedir(), '.cache', 'skipcheck-e2e');
}

function log(message: string): void {
  process.stderr.write(`[e2e install] ${message}\n`);
}

function missingDebianPackages(): string[] {
  return DEBIAN_PACKAGES.filter((pkg) => {
    // "install ok installed" only: chromium left half-configured by an interrupted apt run counts as missing.
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
    return r.status !== 0 || !r.stdout.includes('install ok installed');
  });
}

function ensureDebianPackages(): void {
  if (process.platform !== 'linux') throw new InstallImpossible(`needs Debian/Ubuntu Linux, this is ${process.platform}`);
  if (spawnSync('dpkg-query', ['--version']).status !== 0) throw new InstallImpossible('dpkg-query not found: not a Debian-based system');
  let missing = missingDebianPackages();
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new InstallImpossible(`Debian packages missing (${missing.join(' ')}) and not running as root to apt-get them`);
  }
  log(`apt-get install ${missing.join(' ')}`);
  const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const lockWait = ['-o', 'DPkg::Lock::Timeout=300'];
  // The package lists may be stale on a fresh image; update once, then install.
  execFileSync('apt-get', [...lockWait, 'update'], { stdio: 'inherit', env: aptEnv });
  execFileSync('apt-get', [...lockWait, 'install', '-y', ...missing], { stdio: 'inherit', env: aptEnv });
  missing = missingDebianPackages();
  if (missing.length > 0) throw new Error(`apt-get finished but these packages are still not installed: ${missing.join(' ')}`);
}

/**
 * @vscode/ripgrep's install script downloads ripgrep from GitHub, which is unreachable here, unless the
 * archive already sits in its cache under os.tmpdir(); Debian's rg stands in for it.
 */
function seedRipgrepCache(): void {
  const dir = join(tmpdir(), `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  const archive = join(dir, RIPGREP_ARCHIVE);
  if (existsSync(archive)) return;
  const rg = execFileSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).trim();
  mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['czf', archive, '-C', dirname(rg), 'rg']);
  log(`seeded ${archive} with ${rg}`);
}

export interface CodeServerInstall { bin: string; dir: string }

function codeServerBin(dir: string): string {
  return join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

function ensureCodeServerPackage(): CodeServerInstall {
  const dir = join(cacheRoot(), `code-server-${CODE_SERVER_VERSION}`);
  const bin = codeServerBin(dir);
  // The marker is written only after a complete install, so an interrupted one is redone.
  const marker = join(dir, '.installed');
  if (existsSync(marker) && existsSync(bin)) return { bin, dir };
  mkdirSync(dir, { recursive: true });
  // Its own package.json keeps npm from walking up into whatever project contains the cache. npm 11 only
  // runs install scripts of dependencies listed in allowScripts without a notice; code-server's postinstall
  // installs VS Code's own modules and argon2 builds a native addon, and nothing works without either.
  const manifest = {
    name: 'skipcheck-e2e-code-server',
    private: true,
    dependencies: { 'code-server': CODE_SERVER_VERSION },
    allowScripts: { 'code-server': true, argon2: true },
  };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  log(`npm install code-server@${CODE_SERVER_VERSION} into ${dir} (about a minute)`);
  execFileSync('npm', ['install', '--no-audit', '--no-fund'], {
    cwd: dir,
    stdio: 'inherit',
    env: {
      ...process.env,
      // node-pty's install step runs `npx node-gyp`, which must not stop to ask.
      npm_config_yes: 'true',
      // code-server's postinstall refuses to run as root without it (npm 11 no longer knows the option
      // but still passes it to the script's environment).
      npm_config_unsafe_perm: 'true',
      // Build native modules against the local headers instead of downloading them.
      ...(existsSync('/usr/include/node/node.h') ? { npm_config_nodedir: '/usr' } : {}),
    },
  });
  if (!existsSync(bin)) throw new Error(`npm install finished but ${bin} does not exist`);
  writeFileSync(marker, new Date().toISOString());
  return { bin, dir };
}

/** Makes sure code-server and Chromium are usable; returns how to start code-server. */
export function ensureCodeServer(): CodeServerInstall {
  ensureDebianPackages();
  seedRipgrepCache();
  return ensureCodeServerPackage();
}
