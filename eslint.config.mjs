// Lint: typescript-eslint recommended + Nx module boundaries (see shared style guide §2.3).
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const vendorSdks = ['kafkajs', '@aws-sdk/*', '@grpc/*'];

export default [
  { ignores: ['**/dist/**', '**/node_modules/**', '**/generated/**', '**/.services/**', 'data/**', 'tmp/**', '**/*.cjs', '**/*.mjs', '**/*.js'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': ['error', {
        enforceBuildableLibDependency: false,
        allow: [],
        depConstraints: [
          // layer (type) dimension
          { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:service', 'type:data-access', 'type:protocol', 'type:transport', 'type:util', 'type:generated', 'type:testing'] },
          { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:testing', 'type:protocol', 'type:data-access', 'type:generated', 'type:util'] },
          { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:protocol', 'type:data-access', 'type:util', 'type:testing'] },
          { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:generated', 'type:protocol', 'type:util', 'type:testing'] },
          { sourceTag: 'type:protocol', onlyDependOnLibsWithTags: ['type:protocol', 'type:util', 'type:testing'] },
          { sourceTag: 'type:transport', onlyDependOnLibsWithTags: ['type:transport', 'type:protocol', 'type:util', 'type:testing'] },
          { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', 'type:testing'] },
          { sourceTag: 'type:generated', onlyDependOnLibsWithTags: [] },
          { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:data-access', 'type:util', 'type:generated', 'type:protocol', 'type:testing'] },
          // domain (scope) dimension: npm and pypi never see each other
          { sourceTag: 'scope:pypi', onlyDependOnLibsWithTags: ['scope:pypi', 'scope:storage', 'scope:audit', 'scope:auth', 'scope:shared'] },
          { sourceTag: 'scope:npm', onlyDependOnLibsWithTags: ['scope:npm', 'scope:storage', 'scope:audit', 'scope:auth', 'scope:shared'] },
          { sourceTag: 'scope:audit', onlyDependOnLibsWithTags: ['scope:audit', 'scope:shared'] },
          { sourceTag: 'scope:auth', onlyDependOnLibsWithTags: ['scope:auth', 'scope:storage', 'scope:shared'] },
          { sourceTag: 'scope:storage', onlyDependOnLibsWithTags: ['scope:storage', 'scope:shared'] },
          { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
          // vendor SDKs live in exactly one place each
          { sourceTag: 'type:protocol', bannedExternalImports: ['express', 'undici', ...vendorSdks] },
          { sourceTag: 'type:service', bannedExternalImports: ['express', 'undici', ...vendorSdks] },
          { sourceTag: 'scope:pypi', bannedExternalImports: vendorSdks },
          { sourceTag: 'scope:npm', bannedExternalImports: vendorSdks },
          { sourceTag: 'scope:auth', bannedExternalImports: vendorSdks },
          { sourceTag: 'scope:shared', bannedExternalImports: vendorSdks },
          { sourceTag: 'scope:storage', bannedExternalImports: ['kafkajs', '@grpc/*'] },
          { sourceTag: 'scope:audit', bannedExternalImports: ['@aws-sdk/*'] },
        ],
      }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-ignore': true, 'ts-expect-error': 'allow-with-description' }],
    },
  },
  // kafkajs belongs to the gateway's Kafka sink alone; test helpers to test code (specs, testing libs, e2e projects, tools).
  {
    files: ['**/*.ts'],
    ignores: ['apps/audit-gateway/src/sink/**', 'apps/audit-gateway/src/main.ts', '**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'libs/shared/testing/**', 'libs/audit/testing/**', 'libs/*/*/scripts/**', '**/src/testing/**', '**/src/lib/testing/**', 'apps/*-e2e/**', 'tools/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'kafkajs', message: 'Only the audit gateway Kafka sink talks to Kafka.' }], patterns: [{ group: ['@registry/*/testing', '@registry/shared-testing'], message: 'Test helpers are for spec files only.' }] }] },
  },
  // Only config loading and composition roots read the environment (style §3.6).
  {
    files: ['**/*.ts'],
    ignores: ['libs/shared/config/**', 'apps/*/src/main.ts', '**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'libs/shared/testing/**', 'libs/audit/testing/**', 'tools/**'],
    rules: { 'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through the app config schema (main.ts).' }] },
  },
  {
    files: ['**/*.ts'],
    ignores: ['**/generated/**', '**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
    rules: {
      'max-lines': ['warn', { max: 300, skipComments: true, skipBlankLines: true }],
    },
  },
];
