/**
 * Jest transform for node_modules: NestJS 12, jose, PGlite and others ship ES modules (or use
 * import()/import.meta), which Node 20 loads natively but Jest's CommonJS runtime cannot before
 * Node 24.9. Files that use module syntax are compiled to CommonJS by SWC; the rest pass through.
 */
const { createTransformer } = require('@swc/jest');

const MODULE_SYNTAX = /^\s*(import|export)[\s{*]|\bimport\s*\(|\bimport\.meta\b/m;

module.exports = {
  createTransformer(options) {
    const swc = createTransformer(options);
    return {
      ...swc,
      process(source, filename, config) {
        return MODULE_SYNTAX.test(source) ? swc.process(source, filename, config) : { code: source };
      },
    };
  },
};
