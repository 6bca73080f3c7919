/**
 * Unit specs are pure and fast; e2e specs boot the app on the database the environment selects.
 * Dependencies that use ES module syntax go through test/support/esm-transform.js (see there why).
 */
const fs = require('node:fs');
const swc = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));
const javascript = { ...swc, swcrc: false, jsc: { ...swc.jsc, parser: { syntax: 'ecmascript' } } };
const base = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest', { ...swc, swcrc: false }],
    '^.+\\.[mc]?js$': ['<rootDir>/test/support/esm-transform.js', javascript],
  },
  transformIgnorePatterns: [],
};

module.exports = {
  testTimeout: 60000,
  // A failed suite whose afterAll could not close its app must not keep the run (and CI) waiting.
  forceExit: true,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.spec.ts'] },
    { ...base, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'] },
  ],
};
