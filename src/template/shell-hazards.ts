/**
 * Why a value may not stand somewhere in a bash or sh template (each rule a message naming the
 * placeholder), and the commands and variables that evaluate what they are given.
 */
/** Why a text placeholder may not stand somewhere; gets the placeholder's spelling. */
export type Forbidden = (source: string) => string

export const IN_BACKTICKS: Forbidden = () =>
  'is inside backticks, where its value cannot be quoted safely. Use $(…) instead of backticks.'
export const IN_PARAMETER_EXPANSION: Forbidden = source =>
  'is inside a parameter expansion ${…}, where its value cannot be quoted safely. ' +
  `Assign it to a variable first (value=${source}) and expand that.`
export const inArithmetic =
  (spelling: string): Forbidden =>
  source =>
    `is inside arithmetic ${spelling}, where its value would be evaluated as code. ` +
    `Assign it to a variable first (n=${source}), check that it is a number, and use the variable.`
export const IN_SUBSCRIPT: Forbidden = source =>
  'is inside an array subscript name[…], which bash evaluates as arithmetic, so its value could ' +
  `run as code. Assign it to a variable first (key=${source}) and check it before using it.`
export const IN_LET: Forbidden = source =>
  'is an argument of let, which evaluates it as arithmetic, so its value could run as code. ' +
  `Assign it to a variable first (n=${source}) and check that it is a number.`
export const AFTER_BACKSLASH: Forbidden = () =>
  'directly follows a backslash, which would escape the quote put around its value. ' +
  'Remove the backslash.'
export const inHereDocument =
  (operator: string): Forbidden =>
  source =>
    `is inside the here-document ${operator}, where its value cannot be quoted safely. ` +
    `Pipe the value in instead (printf '%s\\n' ${source} | …) or use $PARALLEL_ITEM.`
export const IN_HERE_DOCUMENT_DELIMITER: Forbidden = () =>
  'is in a here-document delimiter, which cannot depend on an item. Use a fixed word such as EOF.'
export const inConditional =
  (operator: string): Forbidden =>
  source =>
    operator === '-v' || operator === '-R'
      ? `is inside [[ … ]] with ${operator}, which makes bash take an operand as a variable name ` +
        'and evaluate a subscript in it (name[…]) as arithmetic, so its value could run as code. ' +
        `Test a fixed variable name instead, or compare the value as a string ([[ ${source} == … ]]).`
      : `is inside [[ … ]] with ${operator}, which makes bash evaluate operands as arithmetic, so ` +
        'its value could run as code. Use [ … ] or test instead, which only accept plain numbers ' +
        `for ${operator}.`
export const inDuplication =
  (operator: string): Forbidden =>
  source =>
    `is in the word after ${operator}, which bash reads a second time when it is not a file ` +
    'descriptor number, so its value could run as code. ' +
    (operator === '<&'
      ? `To read from a file, write <${source}.`
      : `To write to a file, write >${source} (and 2>&1 after it for both outputs).`)
export const namesVariables =
  (command: string, hint: (source: string) => string): Forbidden =>
  source =>
    `is an argument of ${command}, which can take it as a variable name, and bash evaluates a ` +
    `subscript in a name (name[…]) as arithmetic, so its value could run as code. ${hint(source)}`
export const runsAsCode =
  (command: string): Forbidden =>
  source =>
    `is an argument of ${command}, which evaluates its arguments as shell code, so its value ` +
    `would run as code. Assign it to a variable first (value=${source}) and use "$value" in the ` +
    'code, in double quotes.'
export const declarationFlags =
  (command: string, flags: string): Forbidden =>
  source => {
    const why = /^[-+][A-Za-z]*i/.test(flags)
      ? 'which makes bash evaluate the values assigned as arithmetic'
      : /^[-+][A-Za-z]*n/.test(flags)
        ? 'which makes bash use the value as a variable name (a nameref) and evaluate a ' +
          'subscript in it (name[…]) as arithmetic'
        : /^[-+][A-Za-z]*[aA]/.test(flags)
          ? 'which lets bash read a value that looks like (…) as an array assignment and ' +
            'expand it again'
          : 'whose options come from an expansion and so could be -i or -n, which make bash ' +
            'evaluate the value'
    const spelling = /^[-+]/.test(flags) ? `${command} ${flags}` : command
    return (
      `is an argument of ${spelling}, ${why}, so its value could run as code. Assign it ` +
      `without attributes first (value=${source}) and check it before giving it any.`
    )
  }
export const inDeclarationName =
  (command: string): Forbidden =>
  source =>
    `is part of the variable name in an argument of ${command}; bash evaluates a subscript in a ` +
    'name (name[…]) as arithmetic, so its value could run as code. Put it only after the = ' +
    `(${command} name=${source}).`
export const mayBecomeArrayAssignment =
  (command: string, builtin = command): Forbidden =>
  source =>
    `starts the value of an assignment in ${command}: when the variable already is an array, ` +
    `bash's ${builtin} reads a value that looks like (…) as an array assignment, even quoted, ` +
    'and expands it again, so its value could run as code. Declare the variable first and ' +
    `assign it separately (${builtin} name; name=${source}), or put fixed text other than ( ` +
    'before it.'
export const inDeclarationOptions =
  (command: string): Forbidden =>
  source =>
    `is where ${command} reads its options and variable names: a value starting with - would ` +
    'be taken as options such as -i or -n, and bash evaluates a subscript in a name (name[…]) ' +
    'as arithmetic, so its value could run as code. Put it only after the = of an assignment ' +
    `(${command} name=${source}).`
export const IN_PRINTF_OPTIONS: Forbidden = source =>
  'is where printf reads its options, so a value starting with - would be taken as one, and ' +
  'with -v NAME bash evaluates a subscript in NAME (name[…]) as arithmetic, so its value could ' +
  `run as code. Give the format first: printf '%s' ${source}.`
export const IN_PRINTF_VARIABLE: Forbidden = () =>
  'is the variable name after printf -v, where bash evaluates a subscript (name[…]) as ' +
  'arithmetic, so its value could run as code. Use a fixed variable name.'
export const inTestOperand =
  (command: string, operator: string | undefined): Forbidden =>
  source =>
    operator === undefined
      ? `follows an argument of ${command} that could turn out to be -v or -R, which would make ` +
        `bash take it as a variable name and evaluate a subscript in it (name[…]) as arithmetic, ` +
        'so its value could run as code. Put a fixed operator before it, as in ' +
        `[ "$a" = ${source} ].`
      : `is the operand of ${operator} in ${command}, which makes bash take it as a variable name ` +
        'and evaluate a subscript in it (name[…]) as arithmetic, so its value could run as code. ' +
        `Test a fixed variable name instead, or compare the value as a string ([ ${source} = … ]).`
export const withAttributes =
  (declaration: string, position: string): Forbidden =>
  source =>
    `is in a template that gives a variable the integer or nameref attribute (${declaration} at ` +
    `${position}): bash evaluates whatever is assigned to such a variable (by name=…, read, for, ` +
    'printf -v and others) as arithmetic or as a variable name, so its value could run as code. ' +
    `Drop the attribute, or check the value (value=${source}) before it reaches such a variable.`
export const assignsEvaluatingVariable =
  (variable: string, spelling: string, position: string): Forbidden =>
  source =>
    `is in a template that assigns ${variable} a value that is not fixed text (${spelling} at ` +
    `${position}): bash evaluates whatever is assigned to ${variable} as arithmetic (by name=…, ` +
    'read, for, printf -v and others), where a subscript (name[…]) in the value runs commands, ' +
    `so its value could run as code. Use a variable of your own instead (value=${source}), or ` +
    `assign ${variable} only fixed numbers.`
export const assignsCodeVariable =
  (variable: string, spelling: string, position: string): Forbidden =>
  source =>
    `is in a template that assigns ${variable} a value that is not fixed text (${spelling} at ` +
    `${position}): ${CODE_VARIABLES.get(variable) ?? 'bash expands it again later'}, where ` +
    '$(…) in the value runs as a command, so its value could run as code. Assign ' +
    `${variable} only fixed text, and let that text expand a variable of your own ` +
    `(value=${source}; ${variable}='… $value …').`
export const numberHazard =
  (hazard: string): Forbidden =>
  () =>
    `is a number, and ${hazard}; it cannot be quoted here. Separate it from the text around it ` +
    '(write ${name} for a variable, or add a space), or assign it to a variable first (n=…) and ' +
    'use that.'

// [[ … ]] operators whose operands bash evaluates as arithmetic or as variable names with subscripts
// (all there are: test.c compares with arithcomp, and looks names up for -v and -R).
export const ARITHMETIC_CONDITIONAL_OPERATORS = new Set([
  '-eq',
  '-ne',
  '-lt',
  '-le',
  '-gt',
  '-ge',
  '-v',
  '-R'
])

/**
 * Variables bash gives the integer attribute itself, so whatever is assigned to them is evaluated
 * as arithmetic: from the variables bash 5.2 sets up (variables.c), each confirmed by assigning
 * a[$(touch file)]. EUID, PPID and UID are integers too, but read-only: assigning fails first.
 */
export const EVALUATING_VARIABLES = new Set([
  'BASHPID',
  'HISTCMD',
  'OPTIND',
  'RANDOM',
  'SECONDS',
  'SRANDOM'
])

/**
 * Variables whose value bash (or a shell it starts) expands again later, command substitutions
 * included, and when: found with bash 5.2 and dash by assigning $(touch file). PS3, TIMEFORMAT,
 * HISTTIMEFORMAT, BASH_XTRACEFD and the like are used without expansion (checked the same way).
 */
export const CODE_VARIABLES = new Map([
  ['PS0', 'an interactive bash expands PS0 after reading each command'],
  ['PS1', 'an interactive shell expands PS1 for each prompt'],
  ['PS2', 'an interactive shell expands PS2 for each continuation prompt'],
  ['PS4', 'bash expands PS4 for each line it traces (set -x)'],
  ['PROMPT_COMMAND', 'an interactive bash runs PROMPT_COMMAND as a command before each prompt'],
  ['BASH_ENV', 'a bash started for a script or -c expands BASH_ENV to find its startup file'],
  ['ENV', 'an interactive sh, and bash in POSIX mode, expand ENV to find their startup file'],
  ['MAILPATH', 'an interactive bash expands the messages in MAILPATH when mail arrives']
])

/** Variables the template may not assign anything but fixed text, for either reason above. */
export function isGuardedVariable(name: string): boolean {
  return EVALUATING_VARIABLES.has(name) || CODE_VARIABLES.has(name)
}

/** Builtins that assign to the variables they are given by name (printf only with -v). */
export const ASSIGNING_COMMANDS = new Set(['read', 'mapfile', 'readarray', 'getopts', 'wait'])

/** The declaration builtins: their arguments are assignments or variable names. */
export const DECLARATION_COMMANDS = new Set(['declare', 'typeset', 'local', 'export', 'readonly'])

/** Builtins whose arguments may all be variable names (or options that take one). */
export const VARIABLE_NAME_COMMANDS = new Map<string, (source: string) => string>([
  ['read', source => `Read into a fixed variable name instead (read -r line <<< ${source}).`],
  ['mapfile', () => 'Use a fixed array name (mapfile -t lines).'],
  ['readarray', () => 'Use a fixed array name (readarray -t lines).'],
  ['unset', () => 'Use fixed variable names with unset.'],
  ['getopts', () => 'Use a fixed variable name with getopts.'],
  ['wait', source => `Check process ids first (pid=${source}) and pass "$pid".`]
])

/** Builtins that run their arguments as shell code, or expand them again. */
export const CODE_COMMANDS = new Set(['eval', 'trap', 'compgen', 'complete'])

// Reserved words after which the next word is again the first word of a command.
export const KEEP_COMMAND_POSITION = new Set([
  '!',
  '{',
  'if',
  'then',
  'else',
  'elif',
  'do',
  'while',
  'until'
])
