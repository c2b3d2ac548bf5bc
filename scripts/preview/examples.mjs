/**
 * The example runs `npm run preview` renders: what issue reports and reviews of the job summary
 * look at. Each is a set of inputs for dist/index.js, run in a temporary folder.
 */

/** Twelve CI checks: two fail, one times out, one passes on its retry. */
const checks = {
  tasks:
    "lint: sleep 0.4; echo lint ok\ntypecheck: sleep 0.6; echo types ok\nunit:web:\n  run: |\n    sleep 0.5\n    echo ' PASS packages/web/src/__tests__/home.test.tsx'\n    echo ' FAIL packages/web/src/__tests__/router.test.tsx'\n    echo '  \u25cf router \u203a navigates to /settings'\n    for i in $(seq 1 120); do echo \"      at Object.<anonymous> (packages/web/src/__tests__/router.test.tsx:$i:13) at processTicksAndRejections (node:internal/process/task_queues:95:5)\"; done\n    echo 'Tests: 1 failed, 41 passed, 42 total'\n    exit 1\nunit:api: sleep 0.8; echo api ok\nintegration:api:\n  run: |\n    if [ ! -f \"$RUNNER_TEMP/flaky-once\" ]; then touch \"$RUNNER_TEMP/flaky-once\"; echo 'connection refused'; exit 1; fi\n    sleep 0.3; echo integration ok\n  retries: 1\ndocs:links:\n  run: |\n    sleep 0.2; echo 'broken link: docs/setup.md#install'; exit 1\nbundle-size: sleep 0.3; echo 'size ok'\nlicenses: sleep 0.1; echo 'licenses ok'\ne2e:smoke:\n  run: sleep 5\n  timeout: 1s\nformat: sleep 0.2; echo formatted\naudit: sleep 0.3; echo 'audit ok'\nbuild: sleep 0.7; echo built\n",
  'max-workers': '8',
  'retry-delay': '0',
  'summary-title': 'checks'
}

/** Named tasks whose deploy is skipped because a task it needs failed. */
const needs = {
  tasks:
    "build: sleep 0.2; echo built\ntest:\n  run: sleep 0.2; echo 'FAIL test/app.test.js'; exit 1\n  needs: build\ndeploy:\n  run: echo deploying\n  needs: [build, test]\n",
  'max-workers': '2'
}

const files = (count, name) => Array.from({ length: count }, (_, i) => name(i)).join('\n')

/** 300 items, all passing. */
const passing = {
  items: files(300, i => `packages/pkg-${String(i).padStart(3, '0')}/src/index.test.ts`),
  command: 'echo testing {}',
  'max-workers': '8'
}

/** 2,000 items, every 40th failing. */
const many = {
  items: files(2000, i => `test/unit/file-${String(i).padStart(4, '0')}.test.js`),
  command: 'if [ $(( {#} % 40 )) -eq 0 ]; then echo "FAIL {}"; exit 1; fi',
  'max-workers': '8',
  log: 'failures'
}

export const EXAMPLES = { checks, needs, passing, many }
