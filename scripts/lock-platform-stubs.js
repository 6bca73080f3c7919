/**
 * This machine's npm registry mirror holds only the linux-x64 builds of packages with per-platform
 * binaries (@swc/core, jest's unrs-resolver), so `npm install` leaves the other platforms' optional
 * packages out of package-lock.json, and `npm ci` then refuses the lockfile as out of sync.
 * This adds each missing optional platform package back as a lock entry with its os/cpu, as the
 * public registry would have written it; `npm ci` skips them on a non-matching platform.
 * Run after any `npm install` that changes the lockfile: `node scripts/lock-platform-stubs.js`.
 */
const { readFileSync, writeFileSync } = require('node:fs');

const LOCK = `${__dirname}/../package-lock.json`;
const lock = JSON.parse(readFileSync(LOCK, 'utf8'));
const CPUS = ['arm64', 'x64', 'arm', 'ia32', 'ppc64', 's390x', 'riscv64', 'loong64'];
const OSES = {
  darwin: 'darwin',
  win32: 'win32',
  linux: 'linux',
  android: 'android',
  freebsd: 'freebsd',
  openharmony: 'openharmony',
};

function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.map((part) => OSES[part]).find(Boolean);
  const cpu = parts.find((part) => CPUS.includes(part)) ?? (parts.includes('arm') ? 'arm' : undefined);
  const libc = parts.find((part) => /^(gnu|musl)/.test(part));
  return { os, cpu, libc: libc ? (libc.startsWith('musl') ? 'musl' : 'glibc') : undefined };
}

let added = 0;
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const { os, cpu, libc } = platformOf(name);
    if (!os || !cpu) continue;
    const prefix = path ? `${path}/node_modules/` : 'node_modules/';
    if (lock.packages[`${prefix}${name}`] || lock.packages[`node_modules/${name}`]) continue;
    lock.packages[`node_modules/${name}`] = {
      version,
      cpu: [cpu],
      ...(libc ? { libc: [libc] } : {}),
      dev: entry.dev,
      license: entry.license,
      optional: true,
      os: [os],
    };
    added += 1;
  }
}
writeFileSync(LOCK, JSON.stringify(lock, null, 2) + '\n');
console.log(`added ${added} platform stub(s)`);
