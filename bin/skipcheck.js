#!/usr/bin/env node
// Thin launcher: the CLI is bundled by `npm run build` (run automatically by `npm install`).
const path = require('node:path');
const fs = require('node:fs');
const cli = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(cli)) {
  console.error('skipcheck: dist/cli.js is missing. Run `npm install` (or `npm run build`) in ' + path.dirname(__dirname) + ' first.');
  process.exit(2);
}
require(cli);
