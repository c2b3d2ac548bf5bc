/**
 * GitHub's documented matrix examples ("Running variations of jobs in a workflow": expanding or
 * adding matrix configurations, excluding matrix configurations), as the docs write them, with
 * the combinations the docs list, in order.
 */
export const MATRIX_EXAMPLES: { name: string; yaml: string; expected: object[] }[] = [
  {
    name: 'M1: include adds to originals, overwrites added values only, appends the rest',
    yaml: `fruit: [apple, pear]
animal: [cat, dog]
include:
  - color: green
  - color: pink
    animal: cat
  - fruit: apple
    shape: circle
  - fruit: banana
  - fruit: banana
    animal: cat
`,
    expected: [
      { fruit: 'apple', animal: 'cat', color: 'pink', shape: 'circle' },
      { fruit: 'apple', animal: 'dog', color: 'green', shape: 'circle' },
      { fruit: 'pear', animal: 'cat', color: 'pink' },
      { fruit: 'pear', animal: 'dog', color: 'green' },
      { fruit: 'banana' },
      { fruit: 'banana', animal: 'cat' }
    ]
  },
  {
    name: 'M2: include adds configurations a dimension does not have',
    yaml: `os: [ubuntu-latest]
perl: ['5.16', '5.20', '5.26', '5.30', latest]
include:
  - os: macos-latest
    perl: '5.26'
  - os: macos-latest
    perl: latest
`,
    expected: [
      { os: 'ubuntu-latest', perl: '5.16' },
      { os: 'ubuntu-latest', perl: '5.20' },
      { os: 'ubuntu-latest', perl: '5.26' },
      { os: 'ubuntu-latest', perl: '5.30' },
      { os: 'ubuntu-latest', perl: 'latest' },
      { os: 'macos-latest', perl: '5.26' },
      { os: 'macos-latest', perl: 'latest' }
    ]
  },
  {
    name: 'M3: include expands one combination with a new variable',
    yaml: `os: [windows-latest, ubuntu-latest]
node: [12, 14, 16]
include:
  - os: windows-latest
    node: 16
    npm: 6
`,
    expected: [
      { os: 'windows-latest', node: 12 },
      { os: 'windows-latest', node: 14 },
      { os: 'windows-latest', node: 16, npm: 6 },
      { os: 'ubuntu-latest', node: 12 },
      { os: 'ubuntu-latest', node: 14 },
      { os: 'ubuntu-latest', node: 16 }
    ]
  },
  {
    name: 'M4: include adds a combination that would change an original value',
    yaml: `os: [macos-latest, windows-latest, ubuntu-latest]
version: [12, 14, 16]
include:
  - os: windows-latest
    version: 17
`,
    expected: [
      { os: 'macos-latest', version: 12 },
      { os: 'macos-latest', version: 14 },
      { os: 'macos-latest', version: 16 },
      { os: 'windows-latest', version: 12 },
      { os: 'windows-latest', version: 14 },
      { os: 'windows-latest', version: 16 },
      { os: 'ubuntu-latest', version: 12 },
      { os: 'ubuntu-latest', version: 14 },
      { os: 'ubuntu-latest', version: 16 },
      { os: 'windows-latest', version: 17 }
    ]
  },
  {
    name: 'M5: a matrix of include only runs every entry',
    yaml: `include:
  - site: "production"
    datacenter: "site-a"
  - site: "staging"
    datacenter: "site-b"
`,
    expected: [
      { site: 'production', datacenter: 'site-a' },
      { site: 'staging', datacenter: 'site-b' }
    ]
  },
  {
    name: 'M6: exclude drops every combination an entry matches, partially',
    yaml: `os: [macos-latest, windows-latest]
version: [12, 14, 16]
environment: [staging, production]
exclude:
  - os: macos-latest
    version: 12
    environment: production
  - os: windows-latest
    version: 16
`,
    expected: [
      { os: 'macos-latest', version: 12, environment: 'staging' },
      { os: 'macos-latest', version: 14, environment: 'staging' },
      { os: 'macos-latest', version: 14, environment: 'production' },
      { os: 'macos-latest', version: 16, environment: 'staging' },
      { os: 'macos-latest', version: 16, environment: 'production' },
      { os: 'windows-latest', version: 12, environment: 'staging' },
      { os: 'windows-latest', version: 12, environment: 'production' },
      { os: 'windows-latest', version: 14, environment: 'staging' },
      { os: 'windows-latest', version: 14, environment: 'production' }
    ]
  }
]
