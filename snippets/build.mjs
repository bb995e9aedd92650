// Builds the snippet files VS Code loads from the sources in snippets/src (one readable file per snippet,
// written in TypeScript). The JavaScript set is the same code with the type annotations taken out, so the
// two can never drift. `node snippets/build.mjs --check` fails when the committed files are out of date.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const srcDir = join(here, 'src');

/** `key: value` header lines, a `---` line, then the body. */
function parseSnippet(file) {
  const text = readFileSync(join(srcDir, file), 'utf8');
  const split = text.indexOf('\n---\n');
  if (split < 0) throw new Error(`${file}: missing the '---' line between header and body`);
  const header = Object.fromEntries(
    text.slice(0, split).split('\n').map((line) => {
      const colon = line.indexOf(':');
      if (colon < 0) throw new Error(`${file}: header line without 'key:': ${line}`);
      return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
    }),
  );
  for (const key of ['name', 'prefix', 'description']) if (!header[key]) throw new Error(`${file}: header needs '${key}'`);
  return { ...header, body: text.slice(split + 5).replace(/\n+$/, '').split('\n') };
}

const signature = /^(export )?(async )?function /;

/** Removes exactly the annotation forms the sources use; the snippet test checks the result parses as JavaScript. */
function stripTypes(line) {
  let out = line.replace(/ as tf\.\w+/g, '');
  if (signature.test(out)) out = out.replace(/\): [^{]+ \{(\$0)?$/, ') {$1').replace(/: tf\.\w+/g, '');
  return out;
}

function build() {
  const typescript = {};
  const javascript = {};
  for (const file of readdirSync(srcDir).filter((f) => f.endsWith('.snippet')).sort()) {
    const { name, prefix, description, body } = parseSnippet(file);
    typescript[name] = { prefix, description, body };
    javascript[name] = { prefix, description, body: body.map(stripTypes) };
  }
  return {
    'typescript.code-snippets': JSON.stringify(typescript, null, 2) + '\n',
    'javascript.code-snippets': JSON.stringify(javascript, null, 2) + '\n',
  };
}

const check = process.argv.includes('--check');
let stale = [];
for (const [file, text] of Object.entries(build())) {
  const path = join(here, file);
  let current = '';
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    // Missing counts as stale.
  }
  if (current === text) continue;
  if (check) stale.push(file);
  else writeFileSync(path, text);
}
if (stale.length) {
  console.error(`snippets out of date: ${stale.join(', ')}; run node snippets/build.mjs`);
  process.exit(1);
}
