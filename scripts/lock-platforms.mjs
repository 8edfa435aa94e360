#!/usr/bin/env node
// The npm registry reachable from our machines serves only the linux-x64 builds of packages that ship native
// binaries per platform, so `npm install` cannot record the other platforms' optional packages in
// package-lock.json — and `npm ci` then refuses the lock as "Missing: …". This adds a minimal entry (name,
// version, optional, os/cpu/libc read from the package name) for each optional dependency the lock names but
// lacks. npm skips them on this platform exactly as it would with full entries. Run after `npm install`.
import { readFileSync, writeFileSync } from 'node:fs';

const OS = [
  'android',
  'darwin',
  'freebsd',
  'linux',
  'openbsd',
  'netbsd',
  'sunos',
  'win32',
  'aix',
  'openharmony',
  'wasi',
];
const CPU = [
  'arm64',
  'arm',
  'x64',
  'ia32',
  'ppc64',
  's390x',
  'riscv64',
  'loong64',
  'mips64el',
  'wasm32',
  'universal',
];

function platformOf(name) {
  const tokens = name.replace(/^@[^/]+\//, '').split(/[-_.]/);
  const os =
    tokens.find((t) => OS.includes(t)) ??
    (tokens.includes('wasm32') ? null : tokens.includes('macos') ? 'darwin' : null);
  const cpu = tokens.find((t) => CPU.includes(t)) ?? null;
  const libc = tokens.includes('musl')
    ? 'musl'
    : tokens.includes('gnu') || tokens.includes('glibc')
      ? 'glibc'
      : null;
  return { os, cpu: cpu === 'universal' ? null : cpu, libc };
}

const file = 'package-lock.json';
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = lock.packages;
let added = 0;
for (const [path, entry] of Object.entries(packages)) {
  for (const [dep, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    const base = path === '' ? '' : `${path}/`;
    const candidates = [`${base}node_modules/${dep}`, `node_modules/${dep}`];
    if (candidates.some((c) => packages[c])) continue;
    const version = String(spec).replace(/^[\^~=]/, '');
    if (!/^\d+\.\d+\.\d+/.test(version)) continue;
    const { os, cpu, libc } = platformOf(dep);
    packages[`node_modules/${dep}`] = {
      version,
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
      ...(cpu ? { cpu: [cpu] } : {}),
      ...(libc ? { libc: [libc] } : {}),
      ...(os ? { os: [os] } : { os: ['!linux'] }),
    };
    added++;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)),
);
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`added ${added} platform entries`);
