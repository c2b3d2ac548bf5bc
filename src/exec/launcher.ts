import { Launcher } from './launcher-process.js'
import { LAUNCHER_PERL, launcherUnsupported, UnreadableProgram } from './launcher-program.js'
import { encodeRequest, type LaunchRequest } from './launcher-protocol.js'
import { LauncherTask, type LaunchOutcome } from './launcher-task.js'
import { DEFAULT_KILL_GRACE_MS } from './process-tree.js'

/** A launcher is ready in a few ms; one that is not after this long is given up. */
const LAUNCHER_READY_TIMEOUT_MS = 5000
/**
 * Tasks spawned (no launcher free) before launchers start being started in the background, when
 * the pool was not told to expect more tasks than slots: a launcher costs a spawn of its own plus
 * about 3 ms of perl's start-up, which a task or two run through it repay.
 */
const SPAWNS_BEFORE_LAUNCHERS = 8

/** How a pool starts launchers and what it does without one. */
export interface LauncherPoolOptions {
  /** The perl to run launchers with (default /usr/bin/perl). */
  perl?: string
  /** Whether to use launchers at all (default: on Linux, when that perl can be run). */
  enabled?: boolean
  /** What a task does when no launcher is free (default `spawn`). */
  whenNoneFree?: NoneFree
  /** How long a launcher may take to get ready before it is given up (default 5 s). */
  readyTimeoutMs?: number
  /** Told once why launchers are not used any more (every task is spawned from then on). */
  onUnavailable?: (reason: string) => void
  /** SIGTERM to SIGKILL, when a launcher stops its task because the action is gone (2 s). */
  killGraceMs?: number
}

/** What a task does when every launcher is busy or still starting. */
export enum NoneFree {
  /**
   * Start it with Node's spawn, and from the 8th such task on start one more launcher in the
   * background (a launcher costs a spawn and then some: a short run should not pay for it).
   */
  Spawn = 'spawn',
  /** Start one more launcher and wait for it. */
  Wait = 'wait'
}

/**
 * Starting a process from Node costs a fork of the whole Node process (its page tables grow with
 * its memory), about 1.5 ms of the main thread per task. A launcher is a small long-lived perl
 * process per worker slot that forks and execs the tasks instead, at a fraction of that cost, and
 * relays their output. Linux only, and only where /usr/bin/perl exists; elsewhere tasks are
 * started with Node's spawn. Every guarantee of a spawned task holds: its own session and process
 * group, exactly the environment (in order) and working directory given, stdin from /dev/null,
 * separate stdout and stderr, exact exit codes and signals, and the start errors Node reports
 * (ENOENT, EACCES, ...). The pool keeps idle launchers, and starts one more whenever all are busy.
 */
export class LauncherPool {
  private readonly idle: Launcher[] = []
  private readonly all = new Set<Launcher>()
  private readonly perl: string
  /** Why launchers cannot be used at all, when they cannot. */
  private readonly unsupported: string | undefined
  private whenNoneFree: NoneFree
  private readonly readyTimeoutMs: number
  private readonly killGraceMs: number
  private starting = 0
  private spawned = 0
  private broken = false
  /** Told once why launchers are not used any more (every task is spawned from then on). */
  onUnavailable: ((reason: string) => void) | undefined

  /** No launcher is started yet: the first tasks that need one start it. */
  constructor(options: LauncherPoolOptions = {}) {
    this.perl = options.perl ?? LAUNCHER_PERL
    this.unsupported =
      options.enabled === undefined
        ? launcherUnsupported(this.perl)
        : options.enabled
          ? undefined
          : 'launchers are turned off'
    this.whenNoneFree = options.whenNoneFree ?? NoneFree.Spawn
    this.readyTimeoutMs = options.readyTimeoutMs ?? LAUNCHER_READY_TIMEOUT_MS
    this.killGraceMs = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS
    this.onUnavailable = options.onUnavailable
  }

  /** Starts the command through a launcher; `unavailable` when there is none to use now. */
  launch(request: LaunchRequest): Promise<LaunchOutcome> {
    // Said at the first task rather than at construction, when onUnavailable may not be set yet.
    if (this.unsupported !== undefined) this.disable(Promise.resolve(this.unsupported))
    if (this.broken) return Promise.resolve({ unavailable: true })
    let launcher = this.idle.pop()
    while (launcher?.dead) launcher = this.idle.pop()
    try {
      if (launcher || this.whenNoneFree === NoneFree.Wait) {
        // Encoded only when a launcher takes it: a task that is spawned needs no request.
        const encoded = encodeRequest(request)
        if (encoded === undefined) {
          if (launcher) this.idle.push(launcher)
          return Promise.resolve({ unavailable: true })
        }
        return this.start(launcher ?? this.newLauncher(false), request, encoded)
      }
      // A launcher pays for its start-up after several tasks: a short run spawns them all. Then
      // one at a time, so there is at most one more launcher than tasks running at once.
      this.spawned++
      if (this.spawned >= SPAWNS_BEFORE_LAUNCHERS && this.starting === 0) this.newLauncher(true)
    } catch (error) {
      // spawn threw (rather than reporting an 'error'), or launcher.pl could not be read.
      const reason =
        error instanceof UnreadableProgram
          ? error.message
          : `${this.perl} could not be started: ${String(error)}`
      this.disable(Promise.resolve(reason))
    }
    return Promise.resolve({ unavailable: true })
  }

  /**
   * Says that `tasks` tasks are about to be started, at most `atOnce` at a time. When every slot
   * will run more than one, a launcher pays for itself: a task that finds none free then starts
   * one and waits for it (about 4 ms) rather than being spawned, so that no task of the run has
   * its output pass through a fork of the whole Node process.
   */
  expect(tasks: number, atOnce: number): void {
    if (tasks > atOnce) this.whenNoneFree = NoneFree.Wait
  }

  /** Ends every launcher (each exits once its stdin closes). */
  close(): void {
    for (const launcher of this.all) launcher.close()
    this.all.clear()
    this.idle.length = 0
    this.starting = 0
  }

  /** No launcher from now on; says why, once (the first reason is the one that counts). */
  private disable(why: Promise<string>): void {
    if (this.broken) return
    this.broken = true
    void why.then(reason => this.onUnavailable?.(reason))
  }

  /** Starts one more launcher; `warming` when no task waits for it. */
  private newLauncher(warming: boolean): Launcher {
    if (warming) this.starting++
    let counted = warming
    const uncount = (): void => {
      if (counted) this.starting--
      counted = false
    }
    try {
      const launcher: Launcher = new Launcher(
        this.perl,
        this.readyTimeoutMs,
        this.killGraceMs,
        idle => {
          uncount()
          if (!idle.dead) this.idle.push(idle)
        },
        why => {
          uncount()
          this.disable(why)
          this.all.delete(launcher)
        }
      )
      this.all.add(launcher)
      return launcher
    } catch (error) {
      uncount()
      throw error
    }
  }

  /** Hands the encoded request to `launcher`. */
  private start(
    launcher: Launcher,
    request: LaunchRequest,
    encoded: Buffer
  ): Promise<LaunchOutcome> {
    const task = new LauncherTask(launcher, request, () =>
      this.disable(Promise.resolve('a launcher stopped before it started its task'))
    )
    launcher.launch(encoded, task)
    return task.result
  }
}
