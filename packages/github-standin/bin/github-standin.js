#!/usr/bin/env node
// Committed shim: npm links a workspace bin only if its target exists at install time, and dist/
// is built after linking (root postinstall).
require('../dist/cli.js')
  .main(process.argv.slice(2))
  .catch(error => {
    console.error(error);
    return 1;
  })
  .then(code => {
    process.exitCode = code;
  });
