import fc from 'fast-check'

// The fuzz corpus of the command template tests: hostile values, payloads that touch a CANARY
// file if they ever run, and pieces and whole constructs of shell syntax that random templates
// are made of (one class of fragments for each hole a review found).

export const CANARY_PAYLOADS = [
  '$(touch CANARY)',
  '`touch CANARY`',
  "'; touch CANARY; '",
  '"; touch CANARY; "',
  '\ntouch CANARY\n',
  "'$(touch CANARY)'",
  '"$(touch CANARY)"',
  ')\ntouch CANARY\n(',
  '\nEOF\ntouch CANARY\nEOF\n',
  '}; touch CANARY; {',
  "\\'; touch CANARY #",
  "$'\\''; touch CANARY; $'",
  '\nesac\ntouch CANARY\n',
  ';; esac; touch CANARY; case x in x)',
  '))\ntouch CANARY\n((',
  '${IFS}touch${IFS}CANARY',
  'a[$(touch CANARY)]'
]

export const hostileValue = fc
  .array(
    fc.oneof(
      fc.constantFrom(...CANARY_PAYLOADS),
      fc.constantFrom(
        "'",
        '"',
        '\\',
        '$',
        '`',
        '$(',
        ')',
        '(',
        '${',
        '}',
        '{',
        '{}',
        ';',
        '|',
        '&',
        '\n',
        '\r',
        '#',
        '*',
        '~',
        '!',
        ' ',
        '\t',
        "'\\''",
        'é',
        '日本',
        '😀',
        '-n',
        '--',
        '%s',
        '\u0085',
        '\u00a0'
      ),
      fc.integer({ min: 1, max: 255 }).map(code => String.fromCharCode(code)),
      fc.string({ unit: 'binary', maxLength: 3 })
    ),
    { maxLength: 16 }
  )
  .map(parts => parts.join('').replaceAll('\0', ''))

export const anyValue = fc
  .oneof(
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.string({ unit: 'binary-ascii', maxLength: 30 })
  )
  .map(value => value.replaceAll('\0', ''))

/** What a value looks like after a trip through UTF-8, as a process receives it. */
export function received(value: string): string {
  return Buffer.from(value, 'utf8').toString('utf8')
}

// Fuzzer fragments for two classes the review found: operators inside the ( … ), ! , && and ||
// of [[ … ]] that evaluate an operand as arithmetic or as a variable name, and the variables bash
// evaluates whatever is assigned to (OPTIND, RANDOM, …), reached by every way of assigning.
export const CONDITIONAL_GROUP_FRAGMENTS = [
  '\n[[ ( {} -gt 5 ) ]]\n',
  '\nif [[ -f x || ( 1 -eq {} ) ]]; then :; fi\n',
  '\n[[ ! ( -v {} ) ]]\n',
  '\n[[ ( $(printf %s {}) -eq 1 ) ]]\n',
  '\n[[ (-v {}) ]]\n',
  '\n[[ !(1 -ne {}) ]]\n',
  '\n[[ (\n{} -le 1\n) ]]\n',
  '\n[[ x && ( ( {} -ge 0 ) || x ) ]]\n',
  '\n[[ ( "{}" -lt 1 ) ]]\n',
  // and values that are only data there
  '\n[[ ( {} == x ) || ( -n "{}" ) ]]\n',
  ' ( ',
  ' ) ',
  ' ! ',
  ' || ',
  ' -v ',
  ' -gt '
]
export const EVALUATING_VARIABLE_FRAGMENTS = [
  '\nOPTIND={}\n',
  '\nRANDOM={}\n',
  '\nexport OPTIND={}\n',
  '\nfor OPTIND in {}; do :; done\n',
  '\nread OPTIND <<< {}\n',
  '\nprintf -v OPTIND %s {}\n',
  '\nSRANDOM+={}\n',
  '\nHISTCMD={} :\n',
  '\ndeclare SECONDS={}\n',
  '\nmapfile -t BASHPID <<< {}\n',
  '\nOPTIND="$(echo {})"\n',
  '\nx={}; RANDOM=$x\n',
  '\nselect OPTIND in {}; do break; done\n',
  '\nf() { OPTIND=$1; }; f {}\n',
  "\nprintf '%s\\n' {} | { read -r OPTIND; }\n",
  // and fixed values, which are fine
  '\nOPTIND=1; RANDOM=42\n',
  'OPTIND=',
  'RANDOM',
  'for ',
  ' in ',
  '; do :; done',
  'export '
]

// and a reserved word glued to `(`, which ends it there (if(…), !(…), [[(…), for((…))).
export const GLUED_PARENTHESIS_FRAGMENTS = [
  '\nif(eval {}); then :; fi\n',
  '\n!(eval {})\n',
  '\n{(eval {}); }\n',
  '\nwhile(eval {}); do break; done\n',
  '\nif true; then(eval {}); fi\n',
  '\n[[(1 -eq {})]]\n',
  '\nfor((i=0;i<{};i++)); do :; done\n',
  '\nif(echo {}); then :; fi\n',
  'if(',
  '!(',
  '{(',
  '[[(',
  'for(('
]

// Fragments for the classes the second review found: `time --` and `time -p --`, after which
// bash still reads reserved words, as bash and dash do after the end of a compound command; a declaration's value read as an array assignment when the
// variable already is an array; variables bash expands again (PS4, BASH_ENV, …); and attributes
// given in code strings or by a command whose name is not fixed text.
export const TIME_FRAGMENTS = [
  '\ntime -- [[ {} -eq 1 ]]\n',
  '\ntime -p -- ! [[ -v {} ]]\n',
  '\ntime -- for OPTIND in {}; do :; done\n',
  '\n! time -- if [[ 1 -lt {} ]]; then :; fi\n',
  '\ntime -- ( [[ {} -ge 1 ]] )\n',
  '\nfunction f () [[ {} -lt 1 ]]; f\n',
  // and after the end of a compound command, or a loop's variable: `if ( : ) then`, `for x do`
  '\nif ( : ) then eval {}; fi\n',
  '\nif case x in x) ;; esac then eval {}; fi\n',
  '\nset -- 1; for x do eval {}; done\n',
  '\nif [[ 1 ]] then let {}; fi\n',
  '\nfor ((i=0;i<1;i++)) { [[ {} -eq 1 ]]; }\n',
  '\n( : ) >/dev/null; { echo {}; } 2>&1\n',
  '{ :; } then ',
  ' do ',
  // and values that are only data there
  '\ntime -- echo {}; time -p -- -p {}\n',
  'time -- ',
  'time -p -- ',
  '! time '
]
export const ARRAY_DECLARATION_FRAGMENTS = [
  '\nx=(); declare x={}\n',
  '\ndeclare -a x; typeset x="{}"\n',
  '\nf() { local -a x; local x={}; }; f\n',
  '\nx[0]=1; declare x+=\\({}\n',
  '\nx=(); declare x="$(printf %s {})"\n',
  '\nx=(); f(){ declare -g x={}; }; f\n',
  '\nread -ra x <<< "a b"; declare x={}\n',
  '\nmapfile </dev/null; declare MAPFILE={}\n',
  '\nx=(); declare -r x="{}"\n',
  // and declarations of variables that are no arrays
  '\ndeclare -r name={}; f() { local y="{}"; }; f; typeset t="{}"\n',
  'declare -r x=',
  // and values that are only data there
  '\nx=(); declare x=a{}; export x={}; declare y=( {} )\n',
  'x=(); ',
  'declare x=',
  'local -a x; local x='
]
export const EXPANDED_VARIABLE_FRAGMENTS = [
  '\nPS4={}; set -x; :\n',
  '\nPS4="+[{}] "; set -x; true\n',
  '\nread -r PS4 <<< {}; set -x; :\n',
  '\nBASH_ENV={} bash -c :\n',
  '\nenv BASH_ENV={} bash -c :\n',
  '\nexport PS4={}\n',
  '\nenv "BASH_ENV={}" bash -c :\n',
  "\nenv 'BASH_ENV'={} bash -c :\n",
  '\n/usr/bin/env BASH_ENV={} bash -c :\n',
  '\nnice env BASH_ENV={} bash -c :\n',
  '\ntimeout 5 env BASH_ENV={} bash -c :\n',
  "\nprintf '%s\\0' x | xargs -0 env BASH_ENV={} bash -c :\n",
  '\nenv P"S4"={} bash -xc :\n',
  '\nenv PS4\\={} bash -xc :\n',
  // and fixed values, which are fine
  "\nPS4='+ $LINENO '; TIMEFORMAT={}\n",
  'PS4=',
  'BASH_ENV=',
  ' bash -c : ',
  'nice env ',
  'env "PS4"=',
  '; set -x; '
]
export const HIDDEN_ATTRIBUTE_FRAGMENTS = [
  "\neval 'declare -i n'; n={}\n",
  "\ntrap 'declare -gi x' DEBUG; x={}\n",
  "\n. /dev/stdin <<< 'typeset -i x'; x={}\n",
  '\nd=declare; $d -i x; x={}\n',
  '\n$(echo declare) -n r=x; x={}\n',
  "\nmapfile -t -C 'declare -gi x; :' -c 1 a <<< 1; x={}\n",
  // and commands that only look similar
  '\n"$cmd" -x {}; d=declare\n',
  "eval 'declare -i x'; ",
  'd=declare; $d -i x; ',
  "trap 'local -n x' RETURN; "
]

// Words the shell reads otherwise than split at blanks and line continuations: a subscript with
// blanks before a command's name is one word (x[ {} ]=1, arithmetic that runs $(…) even quoted),
// an assignment, subscript or here-document operator split by a backslash-newline is still one
// (x\<newline>=1 {} puts {} in the command's place), and a command named by an expansion may be
// eval or read. Near misses that stay accepted are among them, so that accepted ones run too.
export const SHELL_READING_FRAGMENTS = [
  '\nx[ {} ]=1\n',
  '\nx[0 + {} ]=1\n',
  '\ntrue; x[ {} ]+=1\n',
  '\nx[ {}]=1\n',
  '\na=( [ {} ]=1 )\n',
  '\nx\\\n=1 {}\n',
  '\nx\\\n+=1 {}\n',
  '\nx\\\n[0]=1 {}\n',
  '\nx[1 + 1]=2 {}\n',
  '\nx[ ]=1 {}\n',
  '\nx[\n]=1 {}\n',
  "\ncat <\\\n<EOF\nprintf '%s' {}\nEOF\n",
  "\ncat <\\\n<-EOF\nprintf '%s' {}\nEOF\n",
  ' "$\\\n(echo {})" ',
  '\nc=read; $c {} <<< x\n',
  '\nx=eval; $x {}\n',
  '\n${x:-eval} {}\n',
  '\n$(echo eval) {}\n',
  '\nexec -a {} true\n',
  // accepted
  '\nx\\\n=1 echo {}\n',
  '\nx[1]=2; echo {}\n',
  '\nd=.; "$d"/t.sh {}\n',
  'x[ ',
  ' ]=1 ',
  'x\\\n=1 ',
  '<\\\n<',
  '$c ',
  'c=eval; '
]

// Loose pieces of shell syntax, and whole constructs with a placeholder in each context
// (those the parser must reject included), so that many random templates parse at all.
export const FUZZ_PIECES = [
  'echo ',
  'printf %s ',
  "'",
  '"',
  '$(',
  ')',
  '(',
  ';',
  ' #',
  '#',
  '\\',
  '<<EOF',
  "<<'EOF'",
  '<<-EOF',
  '\nEOF\n',
  '\n',
  '`',
  '$((',
  '))',
  ' ',
  'a',
  'x=',
  '{}',
  ' {} ',
  '{#}',
  '${',
  '}',
  'case ',
  ' in ',
  ' x) ',
  'esac',
  ';;',
  "$'",
  '|',
  '&&',
  '[[ ',
  ' ]]',
  ' -eq ',
  'a[',
  ']',
  '\t',
  '$',
  '$#',
  '<<<',
  // Redirections that duplicate descriptors, and builtins that evaluate names or code.
  ' >&',
  ' <&',
  ' 2>&',
  'declare ',
  'declare -i ',
  'typeset -i x; x=',
  'local ',
  ' -n ',
  '=1',
  'printf ',
  'printf -v ',
  'read ',
  'unset ',
  'let ',
  '[ -v ',
  'test -v ',
  ' ]',
  'builtin ',
  'command ',
  '\\let ',
  'x=1 let ',
  'eval ',
  'f() { ',
  '; }',
  // Here-document lines bash and dash read differently, and numbers that could run into text.
  '\\\n',
  'EO\\\nF\n',
  '$t',
  '$out',
  ...CONDITIONAL_GROUP_FRAGMENTS.filter(fragment => !fragment.includes('{}')),
  ...EVALUATING_VARIABLE_FRAGMENTS.filter(fragment => !fragment.includes('\n')),
  ...GLUED_PARENTHESIS_FRAGMENTS.filter(fragment => !fragment.includes('\n')),
  ...[
    ...TIME_FRAGMENTS,
    ...ARRAY_DECLARATION_FRAGMENTS,
    ...EXPANDED_VARIABLE_FRAGMENTS,
    ...HIDDEN_ATTRIBUTE_FRAGMENTS,
    ...SHELL_READING_FRAGMENTS
  ].filter(fragment => !fragment.startsWith('\n'))
]

export const FUZZ_CONSTRUCTS = [
  ' {} ',
  " '{}' ",
  ' "{}" ',
  ' pre{}post ',
  ' `echo {}` ',
  ' "`echo {}`" ',
  ' $(echo {}) ',
  ' "$(echo "{}" {})" ',
  " $'a{}b' ",
  ' \\{} ',
  ' "\\{}" ',
  " $'\\{}' ",
  ' $(( {} )) ',
  ' (( {} )) ',
  ' $[{}] ',
  ' ${x:-{}} ',
  ' "${x:-{}}" ',
  '<<EOF\n{}\nEOF\n',
  "<<'EOF'\n{}\nEOF\n",
  '<<EOF\n\\\nEOF\n{}\nEOF\n',
  ' <<{}\n{}\n',
  '\ncase {} in x) echo {};; esac\n',
  '"$(case x in x) echo {};; esac)"',
  ' # {}\n',
  ' a#{} ',
  '\n[[ {} -eq 1 ]]\n',
  '\na[{}]=1\n',
  '\nlet {}\n',
  '\nf() { echo {}; }\n',
  ' <<<{} ',
  ' <(echo {}) ',
  '\nx=({})\n',
  // >& and <& with a word that is not a number: bash expands it a second time.
  ' >&{}.log ',
  ' >& "{}" ',
  ' >&x{} ',
  ' 2>&{} ',
  ' <&{} ',
  // Builtins that take a value as a variable name (a[$(…)] runs), as arithmetic, or as code.
  '\ndeclare -i n={}\n',
  '\ntypeset -i x; x={}\n',
  '\ndeclare -n r={}; : "$r"\n',
  '\ndeclare -a x={}\n',
  '\ndeclare {}=1\n',
  '\nf() { local {}=1; }; f\n',
  '\n[ -v {} ]\n',
  '\ntest -v {}\n',
  '\nprintf -v {} x\n',
  '\nprintf {} x\n',
  '\nread {} <<< x\n',
  '\na=(1); unset {}\n',
  '\nbuiltin let n={}\n',
  '\n\\let {}\n',
  '\ncommand let {}\n',
  '\nx=1 let {}\n',
  '\neval echo {}\n',
  "\ntrap 'echo {}' EXIT\n",
  // and the same builtins where the value is only data
  '\nread -r line <<< {}\n',
  '\ndeclare v={}; printf -v w %s {}\n',
  '\n[ {} = x ] || test -n {}\n',
  // Here-documents whose end bash and dash see on different lines, and [[ in dash.
  '\ncat <<EOF\nEO\\\nF\nprintf "%s\\n" {}\nEOF\n',
  '\n(cat <<EOF\n$(echo\nEOF\n)\necho {} (\nEOF\n)\n',
  '\n[[ x << EOF ]]\necho {}\nEOF\n',
  // Numbers next to $name (t1 and a1 are set below), before > or a line continuation.
  '\n$t{#}\n',
  ' "$($t{#})" ',
  '\ncat <<EOF\n$($t{#})\nEOF\n',
  ' $(( a{#} )) ',
  ' `{#}>/dev/null touch CANARY` ',
  '\n{#}\\\n>/dev/null touch CANARY\n',
  ...CONDITIONAL_GROUP_FRAGMENTS.filter(fragment => fragment.includes('{}')),
  ...EVALUATING_VARIABLE_FRAGMENTS.filter(fragment => fragment.includes('\n')),
  ...GLUED_PARENTHESIS_FRAGMENTS.filter(fragment => fragment.includes('\n')),
  ...[
    ...TIME_FRAGMENTS,
    ...ARRAY_DECLARATION_FRAGMENTS,
    ...EXPANDED_VARIABLE_FRAGMENTS,
    ...HIDDEN_ATTRIBUTE_FRAGMENTS,
    ...SHELL_READING_FRAGMENTS
  ].filter(fragment => fragment.startsWith('\n'))
]
