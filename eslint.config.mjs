// ESLint (`npm run lint`, part of `npm test`): typescript-eslint's recommended rules, React's
// rules of hooks in the renderer, and the project's layers (build/eslint/layers.mjs).
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import mosixview from './build/eslint/layers.mjs';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'e2e/.runs/**'] },
  // A disable comment that silences nothing is stale: it would hide the next real problem there.
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  ...tseslint.configs.recommended,
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    files: ['**/*.{ts,tsx,mts,mjs}'],
    plugins: { mosixview },
    rules: {
      'mosixview/layers': 'error',
      // A `let` read by a callback written before its one assignment (a timer the cleanup clears,
      // a server's auth made once the port is known) stays `let`: as `const` it would sit in the
      // temporal dead zone until assigned.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
);
