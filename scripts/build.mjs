// Bundles keel into dist/ with esbuild. The bin stub (bin/keel.js) answers --version without loading the bundle.
import { build } from 'esbuild';
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
mkdirSync('dist', { recursive: true });
await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/keel.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  legalComments: 'none',
  define: { KEEL_VERSION: JSON.stringify(pkg.version) },
  // Some dependencies use require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __keelCreateRequire } from 'node:module'; const require = __keelCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
writeFileSync('dist/version.json', JSON.stringify({ version: pkg.version }) + '\n');
