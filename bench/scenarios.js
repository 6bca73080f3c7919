/** What bench/run.js measures, in order. `setup` may create data through the API first. */
exports.scenarios = [
  {
    name: 'GET /health/live (HTTP stack only)',
    request: () => ({ method: 'GET', path: '/health/live' }),
  },
];
