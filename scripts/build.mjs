// Bundles keel into dist/ with esbuild. The bin stub (bin/keel.js) answers --version without loading the bundle.
import { build } from 'esbuild';
import { readFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
rmSync('dist', { recursive: true, force: true });
mkdirSync('dist', { recursive: true });
await build({
  entryPoints: { keel: 'src/cli/main.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  // One chunk per command, loaded when that command runs.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
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
