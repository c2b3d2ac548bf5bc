import { existsSync } from 'node:fs'
import { win32 } from 'node:path'

/**
 * The program to start for a rendered command's `file`. On Windows, `bash` found on PATH may be
 * WSL's launcher in System32 rather than Git Bash; GitHub's `shell: bash` means Git Bash there,
 * so it is looked up where the hosted runners install Git. Everything else is left to PATH.
 */
export function resolveProgram(
  file: string,
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  exists: (path: string) => boolean = existsSync
): string {
  if (platform !== 'win32' || file !== 'bash') return file
  const roots = [env.ProgramFiles, env['ProgramW6432'], 'C:\\Program Files'].filter(
    (root): root is string => typeof root === 'string' && root !== ''
  )
  for (const root of roots) {
    const gitBash = win32.join(root, 'Git', 'bin', 'bash.exe')
    if (exists(gitBash)) return gitBash
  }
  return file
}
