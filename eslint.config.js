// npm run lint: zero warnings, run by npm test (and so by CI). Type-aware: the rules that
// catch real bugs in async code and exhaustive switches need the TypeScript program.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import zt from './scripts/eslint-plugin-zt.js';

const sdkPatterns = ['@aws-sdk/*', '@smithy/*', '@kubernetes/client-node', '@azure/*'];
const sdkMessage = 'Cloud SDKs are imported only by src/collectors/<id>/client.ts (and *-client.ts beside it), loaded lazily.';

export default tseslint.config(
  { ignores: ['dist/**', 'dist-exe/**', 'node_modules/**', 'bench/out/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: ['./tsconfig.test.json'], tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { zt },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Async methods often implement an async contract without awaiting anything themselves.
      '@typescript-eslint/require-await': 'off',
      // Abort reasons and caught values are unknown by nature; rejecting with them is right.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
      // Sanitisers and their tests match control characters on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'zt/layers': 'error',
      // Only the CLI's I/O port (src/cli/io.ts) and bin/ touch the process.
      'no-restricted-globals': ['error', { name: 'process', message: 'Only bin/ and src/cli/io.ts touch the process: take what you need from Io or a parameter.' }],
      // Type-only imports are erased at build: they load nothing, so they are allowed anywhere.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: sdkPatterns, message: sdkMessage, allowTypeImports: true },
            { group: ['undici'], message: 'undici is imported only by src/collectors/shared/fetch-transport.ts (loaded lazily by the clients).', allowTypeImports: true },
            { group: ['ora', 'commander'], message: 'ora and commander belong to src/cli/.' },
          ],
        },
      ],
    },
  },
  { files: ['src/cli/io.ts'], rules: { 'no-restricted-globals': 'off' } },
  // A source's SDK clients: client.ts, and aws-iam/sts-client.ts (STS for --role-arn); the one undici transport.
  { files: ['src/collectors/*/client.ts', 'src/collectors/*/*-client.ts', 'src/collectors/shared/fetch-transport.ts'], rules: { '@typescript-eslint/no-restricted-imports': 'off' } },
  {
    files: ['src/cli/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group: [...sdkPatterns, 'undici'], message: sdkMessage, allowTypeImports: true }] }] },
  },
  {
    // Tests read JSON outputs and fake-server bodies as `any` on purpose: the unsafe-any family
    // would only add casts there. The async and switch rules stay on.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      // expect(obj.method).toHaveBeenCalled() and destructured fs functions are not `this` bugs.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // Plain JavaScript (bin/, scripts/, bench/, test servers): not in a TypeScript project.
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { ...globals.node } },
  },
);
