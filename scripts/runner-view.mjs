// A person's view of a step's log: what GitHub shows for the workflow commands in it, instead of
// the commands themselves. Group titles and annotation messages are unescaped (`%25`, `%0D`,
// `%0A`; `%3A`, `%2C` in properties), annotations and debug lines are labelled, and secrets
// registered with add-mask are shown as ***. Between `::stop-commands::TOKEN` and `::TOKEN::` every
// line is text, as on the runner. A local view for `npm start`; the runner's exact rules are in
// __tests__/helpers/runner-model.ts.
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

/** Commands the runner knows; a line naming another is text. */
const COMMANDS = new Set([
  'stop-commands',
  'set-env',
  'set-output',
  'save-state',
  'add-mask',
  'add-path',
  'add-matcher',
  'remove-matcher',
  'debug',
  'warning',
  'error',
  'notice',
  'group',
  'endgroup',
  'echo'
])
const ESCAPES = { 25: '%', '0D': '\r', '0A': '\n', '3A': ':', '2C': ',' }
const LABELS = { error: 'Error', warning: 'Warning', notice: 'Notice', debug: 'Debug' }

/** A view that takes the log line by line and gives the lines to print for each (maybe none). */
export function createRunnerView() {
  let stopToken = null
  const secrets = []
  const mask = text => secrets.reduce((masked, secret) => masked.split(secret).join('***'), text)
  let indent = ''
  let groupTitle = false
  /** The lines shown for one line of the log, before a group's indent. */
  const shown = text => {
    const command = parseCommand(text)
    if (stopToken !== null) {
      if (command?.name !== stopToken) return [mask(text)]
      stopToken = null
      return []
    }
    if (command === null || !COMMANDS.has(command.name)) return [mask(text)]
    const data = unescapeData(command.data)
    switch (command.name) {
      case 'stop-commands': {
        // As the runner: no token, `pause-logging` or a command's name leaves commands on.
        const token = command.data.toLowerCase()
        const ignored = token === '' || token === 'pause-logging' || COMMANDS.has(token)
        if (!ignored) stopToken = token
        return []
      }
      case 'add-mask':
        if (data !== '') secrets.push(data)
        return []
      case 'group':
        indent = '  '
        groupTitle = true
        return [`▼ ${mask(data)}`]
      case 'endgroup':
        indent = ''
        return []
      case 'error':
      case 'warning':
      case 'notice':
      case 'debug': {
        const where = command.properties.map(([name, value]) => `${name}=${value}`).join(', ')
        const [first, ...rest] = mask(data).split(/\r\n|\r|\n/)
        const label = `${LABELS[command.name]}${where ? ` (${mask(where)})` : ''}`
        return [`${label}: ${first}`, ...rest.map(line => `  ${line}`)]
      }
      default:
        return [mask(text)]
    }
  }
  return {
    /** The lines to print for one line of the log; those inside a group are indented under it. */
    line(text) {
      const lines = shown(text)
      if (!groupTitle) return lines.map(line => indent + line)
      groupTitle = false
      return lines
    }
  }
}

/** `::name key=value,…::data` (or the legacy `##[name key=value;…]data`); null for text. */
function parseCommand(text) {
  const line = text.trimStart()
  let info
  let data
  let separator = ','
  if (line.startsWith('::')) {
    const end = line.indexOf('::', 2)
    if (end < 0) return null
    info = line.slice(2, end)
    data = line.slice(end + 2)
  } else {
    const start = text.indexOf('##[')
    const end = start < 0 ? -1 : text.indexOf(']', start)
    if (end < 0) return null
    info = text.slice(start + 3, end)
    data = text.slice(end + 1)
    separator = ';'
  }
  const space = info.indexOf(' ')
  const name = (space < 0 ? info : info.slice(0, space)).toLowerCase()
  const properties = (space < 0 ? '' : info.slice(space + 1))
    .split(separator)
    .filter(pair => pair.includes('='))
    .map(pair => {
      const equals = pair.indexOf('=')
      return [pair.slice(0, equals).trim(), unescapeProperty(pair.slice(equals + 1))]
    })
  return { name, properties, data }
}

/** A command's data as the runner reads it. */
function unescapeData(data) {
  return data.replace(/%(25|0D|0A)/g, (_, code) => ESCAPES[code])
}

/** A property's value as the runner reads it. */
function unescapeProperty(value) {
  return value.replace(/%(25|0D|0A|3A|2C)/g, (_, code) => ESCAPES[code])
}

// `node scripts/runner-view.mjs < log`: the view of a raw log, such as one downloaded from a run.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const view = createRunnerView()
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    for (const shown of view.line(line)) console.log(shown)
  }
}
