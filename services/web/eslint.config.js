// @ts-check
import { fileURLToPath } from 'node:url';

import js from '@eslint/js';
import checkFile from 'eslint-plugin-check-file';
import importPlugin from 'eslint-plugin-import';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import reactHooks from 'eslint-plugin-react-hooks';
import reactRefresh from 'eslint-plugin-react-refresh';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const features = ['auth', 'chat', 'friends', 'home', 'profile', 'room', 'sync'];

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'coverage'] },
  {
    files: ['**/*.{ts,tsx}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked, jsxA11y.flatConfigs.recommended],
    languageOptions: {
      ecmaVersion: 2022,
      globals: globals.browser,
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: {
      'react-hooks': reactHooks,
      'react-refresh': reactRefresh,
      import: importPlugin,
      'check-file': checkFile,
    },
    settings: {
      'import/resolver': {
        [fileURLToPath(new URL('./eslint-import-resolver.cjs', import.meta.url))]: {},
      },
    },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'react-refresh/only-export-components': ['error', { allowConstantExport: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',

      // One import direction: shared code (components, hooks, lib, stores) -> features -> app.
      // Features do not import each other; what two features need lives in shared code.
      'import/no-restricted-paths': [
        'error',
        {
          zones: [
            ...features.map((feature) => ({
              target: `./src/features/${feature}`,
              from: './src/features',
              except: [`./${feature}`],
              message: 'Features must not import each other; move shared code to src/components, src/lib or src/hooks.',
            })),
            {
              target: './src/features',
              from: './src/app',
              message: 'Features must not import from the app layer.',
            },
            {
              target: ['./src/components', './src/hooks', './src/lib', './src/stores'],
              from: ['./src/features', './src/app'],
              message: 'Shared code must not import features or the app layer.',
            },
          ],
        },
      ],
      'import/no-cycle': 'error',
      'import/no-duplicates': 'error',

      // kebab-case files and folders (CONVENTIONS.md); `.test` is a middle extension.
      'check-file/filename-naming-convention': [
        'error',
        { 'src/**/*.{ts,tsx}': 'KEBAB_CASE' },
        { ignoreMiddleExtensions: true },
      ],
      'check-file/folder-naming-convention': ['error', { 'src/**/': 'KEBAB_CASE' }],
    },
  },
  {
    files: ['src/**/*.test.{ts,tsx}', 'src/testing/**'],
    rules: {
      // Test doubles are plain objects with methods; binding does not matter there.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['*.config.{js,ts}'],
    languageOptions: { globals: globals.node },
    rules: { 'check-file/filename-naming-convention': 'off' },
  },
  {
    files: ['**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
