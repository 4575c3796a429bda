// Lint: type-aware TypeScript rules, React hooks, accessibility, and the layer
// boundaries of docs/decisions/0001-layout-and-layers.md.
import js from '@eslint/js';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const dbImport = {
  regex: '(^|/)db(/|$)',
  message: 'Routes and components read and write through app services, never db/ directly (docs/decisions/0001).',
};

export default tseslint.config(
  { ignores: ['build/**', 'public/build/**', 'node_modules/**', '.cache/**', 'coverage/**', 'bench/out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: {
      parserOptions: { ecmaFeatures: { jsx: true } },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // The build and start scripts are plain JavaScript for Node (they run before anything is compiled).
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    files: ['app/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks, 'jsx-a11y': jsxA11y },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...jsxA11y.flatConfigs.recommended.rules,
    },
  },
  {
    files: ['app/routes/**', 'app/components/**', 'app/features/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [dbImport] }],
    },
  },
  {
    files: ['workflows/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^~/|(^|/)(app|db|tests|scripts|bench)(/|$)|^\\.\\./\\.\\./|^\\.\\./(?!types$|machine$|mou$|mou-diff$|partner-names$|rules/)',
              message: 'workflows/ is pure: it imports nothing outside itself (docs/decisions/0001).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['db/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^~/|(^|/)app(/|$)', message: 'db/ imports nothing from app/ (docs/decisions/0001).' }] },
      ],
    },
  },
  {
    // Migrations are frozen and deliberately typed Kysely<any>: they must not follow later schema types.
    files: ['db/migrations/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
