// ESLint for the whole checkout (`npm run lint`): JavaScript's and typescript-eslint's recommended
// rules (syntax only: `npm run typecheck` does the type work), eslint-plugin-vue's recommended set
// for .vue files, and the house import rules of scripts/room-ladder.mjs (rule `house/imports`).
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import js from '@eslint/js'
import vue from 'eslint-plugin-vue'
import globals from 'globals'
import tseslint from 'typescript-eslint'
import { defineConfig } from 'eslint/config'
import { importProblems, ROOT } from './scripts/room-ladder.mjs'

/**
 * One rule for every form an import takes (static, `export … from`, `import()`, `import('…').T`,
 * `import x = require()`, `require()`): ESLint's no-restricted-imports sees only the first two.
 */
const houseImports = {
  meta: { type: 'problem', docs: { description: 'The room ladder and import rules of scripts/room-ladder.mjs' }, schema: [] },
  create(context) {
    const from = path.relative(ROOT, context.filename).split(path.sep).join('/')
    const check = (source) => {
      const specifier = source?.type === 'Literal' ? source.value : source?.type === 'TemplateLiteral' && source.expressions.length === 0 ? source.quasis[0].value.cooked : null
      if (typeof specifier !== 'string') return
      for (const message of importProblems(from, specifier)) context.report({ node: source, message })
    }
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      TSImportType: (node) => check(node.source ?? node.argument?.literal),
      TSExternalModuleReference: (node) => check(node.expression),
      'CallExpression[callee.type="Identifier"][callee.name="require"]': (node) => check(node.arguments[0]),
    }
  },
}

// ESLint's cache (.cache/eslint) keys on the plugin's name@version: a digest of the rule's code and
// its inputs, so editing the ladder or the rule re-lints every file.
const houseVersion = createHash('sha1')
  .update(['eslint.config.js', 'scripts/room-ladder.mjs'].map((file) => readFileSync(path.join(ROOT, file), 'utf8')).join('\0'))
  .update(JSON.stringify(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).imports))
  .digest('hex')
  .slice(0, 12)

export default defineConfig(
  {
    ignores: ['node_modules/', 'out/', 'dist/', '.cache/', 'test-results/', 'playwright-report/', 'bench/results/', '.scratch*/'],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
    // Layout is the author's (compact one-line templates, no formatter in this project).
    rules: vue.configs['no-layout-rules'].rules,
  },
  {
    ignores: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    rules: {
      // A leading underscore marks a value left unused on purpose (an omitted key, a required parameter).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Names are refused when they hold control characters: those regexes match them on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    plugins: { house: { meta: { name: 'house', version: houseVersion }, rules: { imports: houseImports } } },
    rules: { 'house/imports': 'error' },
  },
)
