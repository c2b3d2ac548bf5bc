import { describe, expect, it } from '@jest/globals'
import { findCycle, parseTasks } from '../../src/inputs/tasks.js'

describe('parseTasks', () => {
  it('reads commands and full task objects', async () => {
    const tasks = await parseTasks(
      `
build: npm run build
lint: npm run lint
unit:
  run: npm test
  needs: build
  timeout: 10m
  retries: 1
  working-directory: packages/core
  env:
    CI: true
    LEVEL: 3
  priority: 5
e2e:
  run: npm run e2e
  needs: [build, unit]
`,
      'tasks',
      4
    )
    expect(tasks).toEqual([
      { name: 'build', run: 'npm run build', needs: [] },
      { name: 'lint', run: 'npm run lint', needs: [] },
      {
        name: 'unit',
        run: 'npm test',
        needs: ['build'],
        timeoutMs: 600_000,
        retries: 1,
        workingDirectory: 'packages/core',
        env: { CI: 'true', LEVEL: '3' },
        priority: 5
      },
      { name: 'e2e', run: 'npm run e2e', needs: ['build', 'unit'] }
    ])
  })

  it.each([
    ['a: x\na: y', 'Invalid tasks: Map keys must be unique'],
    ['- a\n- b', 'Invalid tasks: expected a YAML mapping of task names to commands'],
    ['a: [x', 'Invalid tasks: '],
    [
      'a:\n  run: x\n  needs: b',
      "Invalid tasks: task 'a' needs 'b', which is not a task. Expected one of: a."
    ],
    ['a:\n  run: x\n  needs: a', "Invalid tasks: task 'a' needs itself."],
    ['a:\n  needs: []', "Invalid tasks: task 'a' has no 'run'."],
    ['a:\n  run: x\n  when: always', "Invalid tasks: task 'a' has an unknown field 'when'."],
    ['a:\n  run: x\n  timeout: soon', "Invalid tasks: task 'a' has timeout 'soon'."],
    [
      'a:\n  run: x\n  timeout: 600h',
      "Invalid tasks: task 'a' has timeout '600h'. Expected a duration up to 24d, such as '90s'"
    ],
    [
      'a:\n  run: x\n  timeout: 2073601',
      "Invalid tasks: task 'a' has timeout '2073601'. Expected a duration up to 24d"
    ],
    ['a:\n  run: x\n  retries: -1', "Invalid tasks: task 'a' has retries '-1'."],
    ['a:\n  run: x\n  env: {"1X": y}', "Invalid tasks: task 'a' has env variable '1X'."],
    [
      'a:\n  run: x\n  priority: high',
      "Invalid tasks: task 'a' has priority 'high'. Expected a number."
    ],
    ['a: 3', "Invalid tasks: task 'a' is neither a command nor a mapping with 'run'."],
    [
      'a:\n  run: x\n  needs: c\nb:\n  run: y\n  needs: a\nc:\n  run: z\n  needs: b',
      'Invalid tasks: the needs form a cycle: a → c → b → a.'
    ]
  ])('refuses %p', async (text, message) => {
    await expect(parseTasks(text, 'tasks', 4)).rejects.toThrow(message)
  })
})

describe('parseTasks: slots and locks', () => {
  it('reads slots and locks, each lock once, a number as its text', async () => {
    const tasks = await parseTasks(
      [
        'e2e:\n  run: npm run e2e\n  slots: 3\n  locks: [db, 5432, db, DB]',
        'migrate:\n  run: x\n  locks: db',
        'unit:\n  run: npm test\n  slots: 1\n  locks: []'
      ].join('\n'),
      'tasks',
      4
    )
    expect(tasks).toEqual([
      { name: 'e2e', run: 'npm run e2e', needs: [], slots: 3, locks: ['db', '5432', 'DB'] },
      { name: 'migrate', run: 'x', needs: [], locks: ['db'] },
      { name: 'unit', run: 'npm test', needs: [], slots: 1 }
    ])
  })

  const expectedSlots = 'Expected a whole number from 1 to 4.'
  const expectedLocks = 'Expected a name or a list of names, such as db or [db, port-5432].'
  it.each([
    ['slots: 5', `has slots 5, more than max-workers (4). ${expectedSlots}`],
    ['slots: x', `has slots 'x'. ${expectedSlots}`],
    ["slots: '3'", `has slots '3'. ${expectedSlots}`],
    ['slots: 0', `has slots 0. ${expectedSlots}`],
    ['slots: -2', `has slots -2. ${expectedSlots}`],
    ['slots: 2.5', `has slots 2.5. ${expectedSlots}`],
    ['slots: .inf', `has slots Infinity. ${expectedSlots}`],
    ['slots: [2]', `has slots [2]. ${expectedSlots}`],
    ['slots:', `has slots null. ${expectedSlots}`],
    ['locks: {a: 1}', `has locks {"a":1}. ${expectedLocks}`],
    ["locks: ''", `has locks ''. ${expectedLocks}`],
    ['locks: [db, null]', `has locks ["db",null]. ${expectedLocks}`],
    ['locks: [db, [x]]', `has locks ["db",["x"]]. ${expectedLocks}`],
    ['locks: true', `has locks true. ${expectedLocks}`],
    ['locks:', `has locks null. ${expectedLocks}`],
    ['slots: "a\\nb\\u2028"', `has slots 'a⏎b�'. ${expectedSlots}`],
    ['locks: ["a\\u2028", null]', `has locks ["a�",null]. ${expectedLocks}`]
  ])('refuses %p with its exact message', async (field, message) => {
    const text = `e2e:\n  run: x\n  ${field}`
    await expect(parseTasks(text, 'tasks', 4)).rejects.toThrow(
      `Invalid tasks: task 'e2e' ${message}`
    )
  })

  it('says the one number max-workers 1 allows as itself', async () => {
    await expect(parseTasks('a:\n  run: x\n  slots: 2', 'tasks', 1)).rejects.toThrow(
      new Error(
        "Invalid tasks: task 'a' has slots 2, more than max-workers (1). Expected 1, as max-workers is 1."
      )
    )
    await expect(parseTasks('a:\n  run: x\n  slots: 0', 'tasks', 1)).rejects.toThrow(
      new Error("Invalid tasks: task 'a' has slots 0. Expected 1, as max-workers is 1.")
    )
    await expect(parseTasks('a:\n  run: x\n  slots: 1', 'tasks', 1)).resolves.toHaveLength(1)
  })

  it('is always told what max-workers resolved to, never guessing it', () => {
    // A default here would be a second copy of max-workers' own, free to drift from it. A
    // function's length counts its parameters up to the first with a default; tsc (run first by
    // npm test) refuses a call without maxWorkers.
    expect(parseTasks.length).toBe(3)
    // @ts-expect-error maxWorkers has no default
    expect(() => void parseTasks('a: x', 'tasks')).not.toThrow()
  })
})

describe('parseTasks: task names from YAML keys', () => {
  // Distinct YAML keys (a number and a string, a boolean and a string) that name the same task:
  // before, the later one silently replaced the earlier and a task vanished.
  it.each([
    ['1: echo a\n"1": echo b', "the keys '1' and '\"1\"' both name task '1'"],
    ["'1': echo a\n1: echo b", "the keys ''1'' and '1' both name task '1'"],
    ['true: echo a\n"true": echo b', "the keys 'true' and '\"true\"' both name task 'true'"],
    ['1.0: echo a\n"1": echo b', "the keys '1.0' and '\"1\"' both name task '1'"],
    ['0x1: echo a\n"1": echo b', "the keys '0x1' and '\"1\"' both name task '1'"],
    ['x: &k "2"\n2: echo a\n*k : echo b', "the keys '2' and '*k' both name task '2'"],
    ['1e0: echo a\n"1":\n  run: echo b', "the keys '1e0' and '\"1\"' both name task '1'"]
  ])('refuses %p, naming both keys', async (text, message) => {
    await expect(parseTasks(text, 'tasks', 4)).rejects.toThrow(
      `Invalid tasks: ${message}. Expected each task name once.`
    )
  })

  it.each([
    ['~: echo a', "Invalid tasks: the key '~' is YAML's null, not a name."],
    ['null: echo a', "Invalid tasks: the key 'null' is YAML's null, not a name."],
    ['"": echo a', 'Invalid tasks: a task has an empty name.'],
    [
      '? [a, b]\n: echo a',
      "Invalid tasks: the key '[a, b]' is a collection. Expected a task name."
    ],
    ['a: echo a\na: echo b', 'Invalid tasks: Map keys must be unique at line 2, column 1. Expected']
  ])('refuses %p', async (text, message) => {
    await expect(parseTasks(text, 'tasks', 4)).rejects.toThrow(message)
  })

  // The YAML parser reports its own stack overflow as an error with a position.
  it('refuses YAML nested 5,000 levels deep with an error naming the input', async () => {
    const deep = 'a:\n  run: x\n  env: ' + '['.repeat(5000) + ']'.repeat(5000)
    await expect(parseTasks(deep, 'tasks', 4)).rejects.toThrow(
      /^Invalid tasks: .* at line 3, column \d+\./
    )
  })

  it('resolves aliases to anchors in other tasks', async () => {
    const tasks = await parseTasks(
      'a:\n  run: &cmd echo hi\n  env: &e {X: 1}\nb:\n  run: *cmd\n  env: *e\n',
      'tasks',
      4
    )
    expect(tasks[1]).toEqual({ name: 'b', run: 'echo hi', needs: [], env: { X: '1' } })
  })

  it('keeps numbers and booleans as names, each task once', async () => {
    const tasks = await parseTasks(
      '1: echo a\n2.5: echo b\ntrue: echo c\n"x y": echo d',
      'tasks',
      4
    )
    expect(tasks.map(task => task.name)).toEqual(['1', '2.5', 'true', 'x y'])
  })
})

describe('findCycle', () => {
  it('finds none in a DAG and names the one there is', () => {
    expect(
      findCycle([
        { name: 'a', needs: [] },
        { name: 'b', needs: ['a'] },
        { name: 'c', needs: ['a', 'b'] }
      ])
    ).toBeUndefined()
    expect(
      findCycle([
        { name: 'x', needs: [] },
        { name: 'a', needs: ['b'] },
        { name: 'b', needs: ['a'] }
      ])
    ).toEqual(['a', 'b', 'a'])
  })
})
