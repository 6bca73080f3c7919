/**
 * Summarises a .cpuprofile: self time by function (with file:line) and by package, and inclusive time of
 * every function. The profiler's own start/stop is left out. node bench/cpuprofile-top.js profile.cpuprofile [--top 30]
 */
const { readFileSync } = require('node:fs');
const { parseArgs } = require('node:util');

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '30' } },
});
const profile = JSON.parse(readFileSync(positionals[0], 'utf8'));
const top = Number(values.top);

const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

// The profiler's own work (starting and stopping it from bench/cpu-profile-preload.js) is left out.
function isProfiler(id) {
  for (let n = id; n !== undefined; n = parent.get(n)) {
    const url = nodes.get(n).callFrame.url;
    if (url === 'node:inspector' || url.endsWith('cpu-profile-preload.js')) return true;
  }
  return false;
}

// Sample counts per node; time deltas weight them (µs).
const selfUs = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  if (isProfiler(id)) continue;
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

function where(frame) {
  const url = frame.url || '';
  const path = url.replace(/^file:\/\//, '');
  const short = path.includes('/node_modules/')
    ? path.replace(/^.*\/node_modules\//, 'node_modules/')
    : path.replace(/^.*\/dist\//, 'dist/');
  return short ? `${short}:${frame.lineNumber + 1}` : `(${frame.functionName || 'native'})`;
}
function pkg(frame) {
  const url = frame.url || '';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  if (url.includes('/dist/')) return 'sla-desk (dist)';
  if (url.startsWith('node:') || (!url.startsWith('file:') && !url.startsWith('/') && url))
    return 'node core';
  return frame.functionName.startsWith('(') ? frame.functionName : '(native/V8)';
}

const byFn = new Map();
const byPkg = new Map();
for (const [id, us] of selfUs) {
  const frame = nodes.get(id).callFrame;
  const key = `${frame.functionName || '(anonymous)'}  ${where(frame)}`;
  byFn.set(key, (byFn.get(key) ?? 0) + us);
  const p = pkg(frame);
  byPkg.set(p, (byPkg.get(p) ?? 0) + us);
}

// Inclusive time per function (counted once per sample even when recursive).
const inclusive = new Map();
for (const [id, us] of selfUs) {
  const seen = new Set();
  for (let n = id; n !== undefined; n = parent.get(n)) {
    const frame = nodes.get(n).callFrame;
    const key = `${frame.functionName || '(anonymous)'}  ${where(frame)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + us);
  }
}

const pct = (us) => `${((100 * us) / total).toFixed(1).padStart(5)} %`;
const print = (title, map, n) => {
  console.log(`\n${title}`);
  for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`${pct(us)}  ${key}`);
};
console.log(`${(total / 1e6).toFixed(1)} s sampled`);
print('self time by package', byPkg, 20);
print('self time by function', byFn, top);
print('inclusive time by function', new Map([...inclusive].filter(([k]) => !k.startsWith('('))), top);
