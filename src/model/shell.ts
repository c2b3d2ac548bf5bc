/** How a command is run. */
export enum Shell {
  /** `bash --noprofile --norc -eo pipefail -c <command>`, as GitHub's `shell: bash`. */
  Bash = 'bash',
  /** `sh -e -c <command>`, as GitHub's `shell: sh`. */
  Sh = 'sh',
  /** PowerShell: `pwsh -NoProfile -NonInteractive`, as GitHub's `shell: pwsh`. */
  Pwsh = 'pwsh',
  /** No shell: the template is split into words once and run directly. */
  None = 'none'
}
