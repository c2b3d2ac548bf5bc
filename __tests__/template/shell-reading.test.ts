import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { Shell } from '../../src/model/shell.js'
import { CommandTemplate, TemplateError } from '../../src/template/template.js'

// Templates a review found accepted although bash or dash ran an item's text from them: each
// class below is refused for one item and for batches, in bash and in sh.

/** The message parse refuses the template with, or undefined when it accepts it. */
function refusal(template: string, shell: Shell, batch: boolean): string | undefined {
  try {
    CommandTemplate.parse(template, shell, { batch })
    return undefined
  } catch (error) {
    if (error instanceof TemplateError) return error.message
    throw error
  }
}

/** Expects every template refused in bash and sh, for one item and (when asked) for batches. */
function expectRefused(templates: string[], pattern: RegExp, modes = [false, true]): void {
  for (const template of templates) {
    for (const shell of [Shell.Bash, Shell.Sh]) {
      for (const batch of modes) {
        const message = refusal(template, shell, batch)
        expect({ template, shell, batch, refused: message !== undefined }).toEqual({
          template,
          shell,
          batch,
          refused: true
        })
        expect(message).toMatch(pattern)
      }
    }
  }
}

describe('words the shell reads across blanks and line continuations', () => {
  it('refuses a subscript with blanks or operators before a command name, as bash reads it whole', () => {
    expectRefused(
      [
        'x[ {} ]=1',
        'x[0 + {} ]=1',
        'true; x[ {} ]=1',
        'x[ {} ]+=1',
        'x[0 + {}]=1',
        'x[ {}]=1',
        'a=( [ {} ]=1 )',
        'x[1 + 1]=2 {}',
        'x[ ]=1 {}',
        'x[\n]=1 {}',
        'x[a;b]=1 echo {}'
      ],
      /array subscript .* holds (a blank|a newline|`;`)/
    )
    // Without blanks, or as an argument (where bash splits it too), the subscript is as before.
    expect(refusal('echo x[ {} ]; x[1]=2 echo {}', Shell.Bash, true)).toBeUndefined()
  })

  it('classifies an assignment split by a line continuation as the shell does', () => {
    expectRefused(['x\\\n=1 {}', 'x\\\n+=1 {}', 'x\\\n[0]=1 {}'], /names the command to run/, [
      true
    ])
    // The assignment is followed to the command after it.
    expect(refusal('x\\\n=1 let {}', Shell.Bash, false)).toMatch(/let/)
    expect(refusal('x\\\n=1 echo {}', Shell.Bash, true)).toBeUndefined()
    // ${NAME:=…} assigns however NAME is spelled; f( \<newline>) defines a function.
    expect(refusal('${OPTI\\\nND:=$x}; echo {}', Shell.Bash, false)).toMatch(/assigns OPTIND/)
    expect(refusal('f( \\\n) { echo {}; }; f', Shell.Bash, true)).toBeUndefined()
  })

  it('refuses a line continuation inside an operator or after $', () => {
    expectRefused(
      [
        "cat <\\\n<EOF\nprintf '%s' {}\nEOF",
        "cat <\\\n<-EOF\nprintf '%s' {}\nEOF",
        'echo "$\\\n(echo {})"',
        'echo $\\\n(echo {})',
        'echo {} >\\\n>log'
      ],
      /A line continuation joins/
    )
    expect(refusal('true &&\\\n  echo {} |\\\n  cat', Shell.Sh, true)).toBeUndefined()
  })

  it('refuses an item among the arguments of a command named when it runs', () => {
    expectRefused(
      [
        'c=read; $c {}',
        'x=eval; $x {}',
        '${x:-eval} {}',
        '$(echo eval) {}',
        '"$c" {}',
        'builtin $c {}',
        'd=/bin; $d/cat {}'
      ],
      /only known when it runs \(.+\), which could be eval, read/
    )
    // A / of its own makes it a file, never a builtin.
    expect(refusal('"$d"/tool {}; ~/bin/tool {}; ./x {}', Shell.Bash, true)).toBeUndefined()
  })

  it('refuses a batch among the arguments of exec and source', () => {
    expectRefused(
      ['exec -a {} true', 'exec {}', 'source {}', '. ./lib.sh {}', 'command exec {}'],
      /a builtin that runs a command or file named by its arguments/,
      [true]
    )
    expect(refusal('exec -a {} true', Shell.Bash, false)).toBeUndefined()
  })

  it('reads the list of for … in after newlines, as bash and dash do', () => {
    const template = 'for x\n\nin {}\ndo printf "%s\\0" "$x"; done'
    for (const shell of [Shell.Bash, Shell.Sh]) {
      const parsed = CommandTemplate.parse(template, shell, { batch: true })
      const items = ['a b', "it's", '$(touch CANARY)']
      const script = parsed.renderBatch(items, 1, 1).display
      const result = spawnSync(shell === Shell.Bash ? 'bash' : 'dash', ['-c', script], {
        encoding: 'utf8',
        cwd: '/'
      })
      expect(result.stdout.split('\0').slice(0, -1)).toEqual(items)
    }
  })
})
