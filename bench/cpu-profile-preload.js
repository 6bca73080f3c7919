/**
 * Preloaded into the server under test (node -r ./bench/cpu-profile-preload.js) by `compare.js --profile`:
 * each odd SIGWINCH starts the V8 sampling profiler, each even one writes BENCH_CPU_PROFILE_DIR/profile-<n>.cpuprofile
 * (for Chrome DevTools or bench/cpuprofile-top.js), n = 1, 2, ... Unlike --cpu-prof it profiles one chosen round only, and
 * does not depend on how the server exits. (Not SIGUSR2: Nest's enableShutdownHooks() shuts the app down on it.)
 */
const inspector = require('node:inspector');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const dir = process.env.BENCH_CPU_PROFILE_DIR;
if (dir) {
  let written = 0;
  const session = new inspector.Session();
  session.connect();
  let running = false;
  process.on('SIGWINCH', () => {
    if (!running) {
      running = true;
      session.post('Profiler.enable', () =>
        session.post('Profiler.setSamplingInterval', { interval: 1000 }, () =>
          session.post('Profiler.start'),
        ),
      );
      return;
    }
    running = false;
    session.post('Profiler.stop', (error, result) => {
      if (error) console.error('cpu profile:', error);
      else writeFileSync(join(dir, `profile-${++written}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
