import { readFileSync } from 'node:fs'
import { URL } from 'node:url'
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import prettier from 'eslint-config-prettier'

const { folders } = JSON.parse(
  readFileSync(new URL('./scripts/layers.json', import.meta.url), 'utf8')
)

/** One rule per src/ folder: an import of a folder it may not use fails lint. */
function layerRules() {
  return Object.entries(folders).map(([folder, { imports, githubFree }]) => {
    const forbidden = Object.keys(folders).filter(
      other => other !== folder && !imports.includes(other)
    )
    const patterns = [
      {
        regex: `^\\.\\./(?:${forbidden.join('|')})/`,
        message: `src/${folder}/ may import only from ${imports.join(', ') || 'itself'} (scripts/layers.json, docs/architecture.md).`
      },
      { regex: '^\\.\\./\\.\\./', message: 'src/ folders are one level deep.' },
      { regex: '^\\.\\./(?:main|index)\\.js$', message: 'Nothing imports the entry point.' }
    ]
    if (githubFree) {
      patterns.push({
        regex: '^@actions/',
        message: `src/${folder}/ is part of the GitHub-free core.`
      })
    }
    return {
      files: [`src/${folder}/**/*.ts`],
      rules: { 'no-restricted-imports': ['error', { patterns }] }
    }
  })
}

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly'
      }
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }]
    }
  },
  ...layerRules(),
  {
    // kill(2) reads pid 0 as the caller's own process group and -1 as every process: a pid not yet
    // known must never reach it. Signals go through the two places that refuse such numbers.
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    ignores: ['src/exec/process-tree.ts', '__tests__/helpers/signals.ts', 'bench/lib/tools.mjs'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='process'][callee.property.name='kill']",
          message:
            'Signal processes through src/exec/process-tree.ts (src) or __tests__/helpers/signals.ts (tests), which refuse pid 0 and -1.'
        }
      ]
    }
  }
)
