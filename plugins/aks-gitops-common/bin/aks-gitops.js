#!/usr/bin/env node
// Committed shim: npm links a workspace bin only if its target exists at install time, and dist/
// is built after linking (root postinstall).
process.exitCode = require('../dist/cli.cjs.js').main(process.argv.slice(2));
