import grafanaConfig from '@grafana/eslint-config';
import tseslint from 'typescript-eslint';

// One lint setup for the whole repository: Grafana's shared config (which the plugin follows) plus the
// TypeScript rules that catch real bugs in the engine and the probe.
export default [
  {
    ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**', 'artifacts/**', 'docs/**', '**/*.d.ts'],
  },
  ...grafanaConfig,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'react/react-in-jsx-scope': 'off',
      'react/prop-types': 'off',
    },
  },
];
