/*
 * How the GitHub Actions runner reads workflow commands from an action's output, as checked in the
 * actions/runner sources (the guard and the checks that use this module must stay in step with
 * them):
 *
 * - src/Runner.Sdk/ProcessInvoker.cs, StartReadStream: stdout and stderr are read with
 *   StreamReader.ReadLine, so "\n", "\r" and "\r\n" each end a line. stdout and stderr are queued
 *   separately, so only output on one stream keeps its order (everything here goes to stdout).
 * - src/Runner.Worker/Handlers/OutputManager.cs, OnDataReceived: every line that contains "##[" or
 *   "::" goes to ActionCommandManager.TryProcessCommand; a line it does not take is written to the
 *   log as it is (secret masking and problem matchers still apply).
 * - src/Runner.Common/ActionCommand.cs:
 *   TryParseV2: message.TrimStart() (.NET white space: \t \v \f and space, NEL, NBSP and the
 *   Unicode space, line and paragraph separators), then it must start with "::"; the command info
 *   runs to the next "::" and the name to its first space; the name must be registered.
 *   TryParse (legacy form): the FIRST "##[" anywhere in the line, info up to the next "]", name up
 *   to its first space, and again the name must be registered.
 * - src/Runner.Worker/ActionCommandManager.cs, TryProcessCommand: TryParseV2 first, TryParse only
 *   when V2 fails. Registered names are matched with OrdinalIgnoreCase ("::ERROR::" is an error).
 *   "::stop-commands::TOKEN" (or "##[stop-commands]TOKEN") stops processing and registers TOKEN as
 *   a command name; while stopped every parsed command except TOKEN returns false, so the line is
 *   logged verbatim, in the V2 and the legacy form alike; "::TOKEN::" (or "##[TOKEN]") resumes.
 *   The stop and the resume lines themselves are echoed to the log (context.Output(input)): they
 *   are not hidden, but newer runners mask the token for the whole run (ActionCommandManagerL0,
 *   StopProcessCommandMasksValidTokenForEntireRun) and refuse an empty token, "pause-logging" or
 *   a registered command name (StopProcessCommand__FailOnInvalidStopTokens).
 *
 * Two .NET details make the checks conservative rather than exact: String.StartsWith and
 * String.IndexOf(string) compare with the current culture (ICU on Linux), which skips ignorable
 * characters such as controls and zero-width ones; and on Windows the output may be decoded with a
 * legacy code page, where other bytes are white space. Because the command name is always taken
 * at a fixed offset (2 after "::", 3 after "##["), an ignorable character inside or before the
 * prefix shifts the name and it no longer matches, so only a plain "::" at the start (after white
 * space) or a plain "##[" can start a command; but any control byte or byte >= 0x7f before "::"
 * is treated as possible white space.
 */

export const LF = 0x0a
export const CR = 0x0d
export const SPACE = 0x20
export const HASH = 0x23
export const COLON = 0x3a
export const BRACKET = 0x5b
/** The legacy form's prefix, which starts a command anywhere in a line. */
export const LEGACY_PREFIX = Buffer.from('##[')

/** The V2 commands `annotations` mode lets through, lower case. */
export const ANNOTATION_NAMES = ['error', 'warning', 'notice', 'debug'].map(name =>
  Buffer.from(name)
)

/** Whether a byte ends a line for the runner. */
export function isLineBreak(b: number): boolean {
  return b === LF || b === CR
}
