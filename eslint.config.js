// Lint rules that carry the design: the layer order of DESIGN.md section 2 is enforced here.
import tseslint from 'typescript-eslint';

// Each layer may import only the layers listed before it. `scripted` (the scripted model server) is a
// self-contained tool that speaks the wire formats: it sits right after util and is used by cli (keel demo) and tests.
const LAYERS = ['protocol', 'util', 'scripted', 'model', 'sandbox', 'tools', 'store', 'core', 'config', 'mcp', 'exec', 'tui', 'proto', 'mcp-server', 'cli'];

// Front ends see the engine only through its facade: they render events and produce ops (DESIGN.md section 3).
const FRONT_ENDS = ['exec', 'tui', 'proto', 'mcp-server'];
const FRONT_END_ALLOWED = ['protocol', 'util'];
const frontEndPatterns = LAYERS.filter((other) => !FRONT_END_ALLOWED.includes(other) && !FRONT_ENDS.includes(other) && other !== 'cli').map(
  (other) => ({
    group: other === 'core' ? ['**/core/*', '!**/core/agent.ts'] : [`**/${other}/*`, `**/${other}`],
    message: `front ends import only core/agent.ts, protocol/ and util/ (src/${other}/ is the engine's business; see DESIGN.md section 2).`,
  }),
);

const layerRules = LAYERS.map((layer, index) => {
  const forbidden = LAYERS.slice(index + 1);
  return {
    files: [`src/${layer}/**/*.ts`, `src/${layer}/**/*.tsx`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'zod', message: "Import from 'zod/mini' (tree-shakable; the full build triples keel's start-up bundle)." }],
          patterns: [
            ...forbidden.map((other) => ({
              group: [`**/${other}/*`, `**/${other}`],
              message: `src/${layer}/ must not import src/${other}/ (layers import only the layers above them; see DESIGN.md section 2).`,
            })),
            ...(FRONT_ENDS.includes(layer) ? frontEndPatterns : []),
          ],
        },
      ],
    },
  };
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  ...layerRules,
);
