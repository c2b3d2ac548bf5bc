import { spawn, type ChildProcess } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import { DEFAULT_KILL_GRACE_MS, moment } from './process-tree.js'

/**
 * Starting a process from Node costs a fork of the whole Node process (its page tables grow with
 * its memory), about 1.5 ms of the main thread per task. A launcher is a small long-lived perl
 * process per worker slot that forks and execs the tasks instead, at a fraction of that cost, and
 * relays their output. Linux only, and only where /usr/bin/perl exists; elsewhere tasks are
 * started with Node's spawn. Every guarantee of a spawned task holds: its own session and process
 * group, exactly the environment (in order) and working directory given, stdin from /dev/null,
 * separate stdout and stderr, exact exit codes and signals, and the start errors Node reports
 * (ENOENT, EACCES, ...).
 */
export const LAUNCHER_PERL = '/usr/bin/perl'

/**
 * The launcher's program. Requests on stdin: a 4-byte length, then `R` and length-prefixed
 * strings (cwd, output file, bytes to send before using it, argument count, arguments, NAME=value
 * environment), or `C` to close the running task's output pipes (its background children may hold
 * them). Frames on stdout: a type byte and a 4-byte value: `R` ready (once, at start), `P` forked
 * (pid), `S` started (exec succeeded), `F` not started (errno, then a byte saying which step),
 * `O`/`E` stdout/stderr data (length, then the bytes), `W` bytes appended to the output file, `X`
 * exited (wait status), `D` done (both pipes closed; 1 when a process the task left is still its
 * child). `R` says 1 when the launcher is a child subreaper (see below). One task at a time.
 * When its stdin ends or its stdout breaks (the action is gone, even killed by SIGKILL), it stops
 * the task's group and every process below it (SIGTERM, SIGKILL after the grace), then exits.
 */
export const LAUNCHER_SCRIPT = String.raw`
use strict;
# No module is loaded (POSIX alone takes 10 ms to load, five times the rest of perl's start-up):
# syscall numbers for this architecture, open(2) flags and EINTR come from the action.
# $GRACE_MS: how long processes get between SIGTERM and SIGKILL when the action is gone.
my ($PIDFD_OPEN, $SETSID, $RT_SIGPROCMASK, $EXIT_GROUP, $CLOSE, $PRCTL, $OUTPUT_FILE_FLAGS, $EINTR,
  $GRACE_MS) = @ARGV;
$0 = 'parallel-exec launcher';
# prctl(PR_SET_CHILD_SUBREAPER, 1): a process of the task whose parent ends (a double fork,
# setsid -f) becomes this launcher's child instead of init's, so the action can still find it.
my $subreaper = syscall($PRCTL, 36, 1, 0, 0, 0) == 0 ? 1 : 0;
binmode(STDIN);
binmode(STDOUT);
# Stopping tasks is the action's job: it signals each task's process group itself.
my @ignored = qw(INT TERM HUP QUIT PIPE);
$SIG{$_} = 'IGNORE' for @ignored;
# Wakes select() when the task's process ends while something still holds its output open.
$SIG{CHLD} = sub { };
# The task whose processes may still run (until it is done with none left, or released).
my $task;

sub read_exactly {
  my ($n) = @_;
  my $buffer = '';
  while (length($buffer) < $n) {
    my $got = sysread(STDIN, $buffer, $n - length($buffer), length($buffer));
    if (!defined $got) { next if $! == $EINTR; abandon() }
    abandon() if $got == 0;
  }
  return $buffer;
}

sub read_request { return read_exactly(unpack('N', read_exactly(4))) }

sub send_frame {
  my ($type, $value, $data) = @_;
  my $frame = pack('aN', $type, $value) . (defined $data ? $data : '');
  my $offset = 0;
  while ($offset < length($frame)) {
    my $wrote = syswrite(STDOUT, $frame, length($frame) - $offset, $offset);
    if (!defined $wrote) { next if $! == $EINTR; abandon() }
    $offset += $wrote;
  }
}

# Reaps every ended child (the task, and what it left that was adopted). Returns the task's wait
# status if it was reaped now, and whether a child is still running (waitpid(2) gives 0 then).
sub reap {
  my ($pid) = @_;
  my $status;
  for (;;) {
    # 1: WNOHANG
    my $reaped = waitpid(-1, 1);
    return ($status, $reaped == 0) if $reaped <= 0;
    $status = $? if $reaped == $pid;
  }
}

# Every live process below this launcher, from /proc: as a subreaper, all its tasks' processes.
# Each as [pid, process group].
sub descendants {
  my (%children, %group);
  opendir(my $proc, '/proc') or return ();
  for my $entry (readdir($proc)) {
    next unless $entry =~ /^[0-9]+$/;
    open(my $stat_fh, '<', "/proc/$entry/stat") or next;
    # Read whole: the command name in parentheses may hold any byte, a newline or a ')' too.
    my $stat = '';
    1 while sysread($stat_fh, $stat, 4096, length($stat));
    close($stat_fh);
    my ($state, $ppid, $pgrp) = split(' ', substr($stat, rindex($stat, ')') + 2), 4);
    next unless defined $pgrp && $state ne 'Z' && $state ne 'X';
    push(@{ $children{$ppid} }, $entry);
    $group{$entry} = $pgrp;
  }
  closedir($proc);
  my @found;
  my @queue = ($$);
  while (@queue) {
    my $children = $children{ shift(@queue) } || [];
    push(@found, @$children);
    push(@queue, @$children);
  }
  return map { [$_, $group{$_}] } @found;
}

# Milliseconds since boot (monotonic), from /proc/uptime: Time::HiRes is a module.
sub now_ms {
  open(my $uptime, '<', '/proc/uptime') or return 0;
  sysread($uptime, my $text, 64);
  close($uptime);
  return ($text =~ /^([0-9.]+)/ ? $1 : 0) * 1000;
}

# The action is gone (its end of our stdin or stdout closed), however it ended, even by SIGKILL:
# nothing the launcher started may outlive it. SIGTERM to the task's process group and every
# process below the launcher, SIGKILL to what is left after the grace the action gives, then exit.
sub abandon {
  my (undef, $left) = reap(0);
  # No child left: as a subreaper, nothing of its tasks runs anywhere (an idle launcher, or the
  # action's normal end). The task's group is not signalled then: its number may be reused.
  exit 0 unless $left;
  my $stop = sub {
    my ($signal) = @_;
    my @below = descendants();
    # The task's group only while a process below is in it: an empty group's number may be reused.
    my $in_group = defined $task && $task > 1 && grep { $_->[1] == $task } @below;
    kill("-$signal", $task) if $in_group;
    kill($signal, map { $_->[0] } @below) if @below;
  };
  $stop->('TERM');
  my $deadline = now_ms() + $GRACE_MS;
  # Every process of the task is a child of this subreaper once its parent ends: none left
  # (waitpid(2) says so) means all are gone. Also bounded by a count of looks: without
  # /proc/uptime the clock stands still.
  for (0 .. $GRACE_MS / 50) {
    my (undef, $running) = reap(0);
    exit 0 unless $running;
    last if now_ms() >= $deadline;
    select(undef, undef, undef, 0.05);
  }
  # Again at each look, for a while: a process may have forked between a look and the kill.
  for (1 .. 10) {
    $stop->('KILL');
    select(undef, undef, undef, 0.05);
    my (undef, $running) = reap(0);
    exit 0 unless $running;
  }
  exit 0;
}

send_frame('R', $subreaper);
for (;;) {
  my $request = read_request();
  # Released: the action has stopped what the last task left, if anything.
  undef $task;
  # Adopted processes that ended since the last task.
  reap(0);
  next unless substr($request, 0, 1) eq 'R';
  my ($cwd, $file, $framed, $argc, @rest) = unpack('(N/a*)*', substr($request, 1));
  my @argv = splice(@rest, 0, $argc);
  # Exactly the task's environment, in the order given (as spawn passes it).
  %ENV = ();
  for (@rest) { my ($name, $value) = split(/=/, $_, 2); $ENV{$name} = $value }

  my ($out_r, $out_w, $err_r, $err_w, $status_r, $status_w);
  unless (pipe($out_r, $out_w) && pipe($err_r, $err_w) && pipe($status_r, $status_w)) {
    send_frame('F', $! + 0, 'p');
    next;
  }
  my $pid = fork();
  if (!defined $pid) {
    send_frame('F', $! + 0, 'f');
    next;
  }
  if ($pid == 0) {
    $SIG{$_} = 'DEFAULT' for @ignored, 'CHLD';
    # An empty signal mask: rt_sigprocmask(SIG_SETMASK, {}, NULL, 8). A variable, not a literal:
    # syscall() passes strings as writable buffers.
    my $no_signals = "\0" x 8;
    syscall($RT_SIGPROCMASK, 2, $no_signals, 0, 8);
    # exit_group(2), as _exit: nothing of the launcher's may run or be flushed in the child.
    my $fail = sub {
      syswrite($status_w, pack('Na', $! + 0, $_[0]));
      syscall($EXIT_GROUP, 127);
      kill('KILL', $$);
    };
    # A session of its own, as spawn's detached: leader of its process group, no terminal.
    syscall($SETSID) == -1 and $fail->('s');
    # Reopened standard handles keep their descriptors 0, 1 and 2 (and no close-on-exec).
    open(STDIN, '<', '/dev/null') or $fail->('n');
    open(STDOUT, '>&', $out_w) or $fail->('p');
    open(STDERR, '>&', $err_w) or $fail->('p');
    chdir($cwd) or $fail->('c');
    exec { $argv[0] } @argv;
    $fail->('e');
  }
  $task = $pid;
  # The pid first: should this launcher die now, the action knows what it may have started.
  send_frame('P', $pid);
  close($out_w);
  close($err_w);
  close($status_w);
  # The status pipe is closed on exec: EOF means the command is running.
  my ($got, $failure);
  do { $got = sysread($status_r, $failure, 5) } while (!defined $got && $! == $EINTR);
  close($status_r);
  if ($got) {
    while (waitpid($pid, 0) != $pid) { last unless $! == $EINTR }
    undef $task;
    close($out_r);
    close($err_r);
    send_frame('F', unpack('N', $failure), substr($failure, 4, 1));
    next;
  }
  send_frame('S', $pid);

  # pidfd_open(2) (Linux 5.3+): readable once the process has ended, so select() wakes for it
  # without a race; without it, SIGCHLD and a 0.1 s timeout.
  my $pidfd = syscall($PIDFD_OPEN, $pid, 0);
  $pidfd = undef if $pidfd < 0;
  my %open = ('O' => $out_r, 'E' => $err_r);
  # Output past the first $framed bytes goes to $file (appended), when one is given: the action
  # then only reads it back to print it. Should the file fail, the rest goes as frames.
  $framed = -1 if $file eq '';
  my $file_fh;
  my $relay = sub {
    my ($type, $data) = @_;
    if ($framed > 0) {
      my $head = substr($data, 0, $framed, '');
      $framed -= length($head);
      send_frame($type, length($head), $head);
    }
    if ($framed == 0 && length($data)) {
      unless ($file_fh) {
        sysopen($file_fh, $file, $OUTPUT_FILE_FLAGS, 0600)
          or do { $framed = -1; undef $file_fh };
      }
      while ($file_fh && length($data)) {
        my $wrote = syswrite($file_fh, $data);
        if (!defined $wrote) { next if $! == $EINTR; $framed = -1; last }
        substr($data, 0, $wrote, '');
        send_frame('W', $wrote);
      }
    }
    send_frame($type, length($data), $data) if length($data);
  };
  my $exited = 0;
  while (!$exited || %open) {
    my ($status) = reap($pid);
    if (!$exited && defined $status) {
      send_frame('X', $status);
      $exited = 1;
      next;
    }
    my $wanted = '';
    vec($wanted, fileno($_), 1) = 1 for values %open;
    # Always watched, so that the launcher sees at once when the action is gone (then it stops
    # the task), whatever the task does.
    vec($wanted, fileno(STDIN), 1) = 1;
    vec($wanted, $pidfd, 1) = 1 if defined $pidfd && !$exited;
    my $timeout = $exited || defined $pidfd ? undef : 0.1;
    my $ready = select(my $readable = $wanted, undef, undef, $timeout);
    next if $ready <= 0;
    # A close first: nothing may be relayed (or written to the output file) after it was asked.
    if (vec($readable, fileno(STDIN), 1) && read_request() eq 'C') {
      close($_) for values %open;
      %open = ();
    }
    # stdout first when both have data (as most programs write): hash order would be random.
    for my $type (grep { $open{$_} } 'O', 'E') {
      my $pipe = $open{$type};
      next unless vec($readable, fileno($pipe), 1);
      my $n = sysread($pipe, my $data, 65536);
      next if !defined $n && $! == $EINTR;
      if ($n) { $relay->($type, $data) }
      else { close($pipe); delete $open{$type} }
    }
  }
  syscall($CLOSE, $pidfd) if defined $pidfd;
  close($file_fh) if $file_fh;
  # Whether any child is left: only the task's can be, and the action stops them.
  my (undef, $left) = reap(0);
  undef $task unless $left;
  send_frame('D', $left ? 1 : 0);
}
`

export interface LaunchRequest {
  file: string
  args: readonly string[]
  cwd?: string
  env?: NodeJS.ProcessEnv
  /** Every chunk of output; a returned promise pauses the task's output until it settles. */
  onOutput?: (chunk: Buffer, stream: 'stdout' | 'stderr') => Promise<void> | void
  /** Where output past its first bytes goes instead of onOutput (stdout and stderr together). */
  outputFile?: OutputFile
  /** A `NAME=value` string added to the environment, last (see process-tree.ts). */
  marker?: string
}

/**
 * A file the launcher appends a task's output to itself, so that the action does not carry bytes
 * it would only write to a file: the first `after` bytes go to onOutput, the rest to the file (or
 * to onOutput again if the file cannot be written).
 */
export interface OutputFile {
  /** A file that must not exist yet: created (mode 0600) once there is output for it. */
  path: string
  /** Bytes handed to onOutput before the file is used. */
  after: number
  /** Called, in order with onOutput, for bytes appended to the file. */
  appended: (bytes: number) => void
}

/** A task a launcher started. */
export interface LaunchedProcess {
  pid: number
  /** Exit code and signal, as Node's 'exit' event gives them; [null, null] if the launcher died. */
  exited: Promise<[number | null, NodeJS.Signals | null]>
  /** Both output pipes closed (the task and whatever inherited them have closed them). */
  stdioClosed: Promise<void>
  stdioOpen(): boolean
  /** Stops reading the output and closes the pipes, as destroying spawn's streams does. */
  closeStdio(): void
  /** Set when the launcher stopped before it could report how the task ended. */
  lostReason(): string | undefined
  /**
   * The launcher's pid when it adopts the task's orphans (Linux's child subreaper): then every
   * process of the task is a descendant of it until the task is done and released.
   */
  adopter: number | undefined
  /**
   * Once both pipes are closed: the `moment()` the launcher said it still has a child (left by the
   * task), or undefined when it has none.
   */
  leftovers: Promise<number | undefined>
  /**
   * Lets the launcher take the next task (until then, it only holds this one's leftovers), or with
   * `reuse` false ends it: a process it still has would be taken for the next task's.
   */
  release(reuse: boolean): void
}

/** What launching gave: a running task, an error as spawn reports it, or no launcher to use. */
export type LaunchOutcome =
  { process: LaunchedProcess } | { error: NodeJS.ErrnoException } | { unavailable: true }

const HEADER_BYTES = 5
/** A launcher is ready in a few ms; one that is not after this long is given up. */
const LAUNCHER_READY_TIMEOUT_MS = 5000
/** How much of what perl prints (its own errors: the tasks have pipes of their own) is kept. */
const PERL_ERROR_CHARS = 2000
/**
 * Tasks spawned (no launcher free) before launchers start being started in the background, when
 * the pool was not told to expect more tasks than slots: a launcher costs a spawn of its own plus
 * about 3 ms of perl's start-up, which a task or two run through it repay.
 */
const SPAWNS_BEFORE_LAUNCHERS = 8
// Where two names share a number (SIGABRT/SIGIOT, EAGAIN/EWOULDBLOCK), Node reports the first.
const ERRNO_NAMES = firstNames(os.constants.errno)
const SIGNAL_NAMES = firstNames(os.constants.signals) as Map<number, NodeJS.Signals>

interface Running {
  onOutput?: LaunchRequest['onOutput']
  appended?: OutputFile['appended']
  /** Forked: the pid of what may now be running. */
  forked: (pid: number) => void
  /** Exec succeeded. */
  started: () => void
  failed: (errno: number, step: string) => void
  exited: (status: number | null) => void
  /** Both pipes closed; `leftovers`: the launcher still has a child, and waits for release. */
  done: (leftovers: boolean) => void
  discard: boolean
}

/** One launcher process; runs one task at a time. */
class Launcher {
  private readonly child: ChildProcess
  private buffered: Buffer = Buffer.alloc(0)
  private running: Running | undefined
  private paused = false
  /** Counts pauses, so that a pause's late end cannot resume a later one (or a later task). */
  private pauses = 0
  private ready = false
  /** Waits for release() after a task that left processes behind. */
  private held = false
  /** Whether the launcher adopts its tasks' orphans (it said so when ready). */
  subreaper = false
  private readonly readyTimer: NodeJS.Timeout
  private readyTimedOut = false
  /** What perl printed, e.g. why it refused the program. */
  private errors = ''
  /** Says how the launcher ended, once it has. */
  private readonly ending: Promise<string>
  private ended = false
  /** Bytes of the current O / E frame still to come, and whose they are. */
  private dataLeft = 0
  private dataStream: 'stdout' | 'stderr' = 'stdout'
  dead = false

  /**
   * `onIdle` is called once it is ready and after each task; `onLost` if it dies before it was
   * ready, which means perl cannot run it here (with why, once known). Throws what spawn throws.
   */
  constructor(
    perl: string,
    readyTimeoutMs: number,
    killGraceMs: number,
    private readonly onIdle: (launcher: Launcher) => void,
    private readonly onLost: (why: Promise<string>) => void
  ) {
    this.child = spawn(perl, ['-e', LAUNCHER_SCRIPT, ...launcherArguments(killGraceMs)], {
      stdio: ['pipe', 'pipe', 'pipe'],
      // Nothing of the tasks' environment may change how perl itself behaves (PERL5OPT, ...).
      env: {}
    })
    this.ending = new Promise(resolve => {
      this.child.once('error', error => resolve(`${perl}: ${error.message}`))
      this.child.once('close', (code, signal) => resolve(this.describeEnd(perl, code, signal)))
    })
    this.child.stderr?.setEncoding('utf8')
    this.child.stderr?.on('data', (text: string) => {
      if (this.errors.length < PERL_ERROR_CHARS) this.errors += text.slice(0, PERL_ERROR_CHARS)
    })
    this.child.on('error', () => this.die())
    this.child.stdin?.on('error', () => this.die())
    this.child.stdout?.on('data', (chunk: Buffer) => this.receive(chunk))
    // Only once all it wrote is read: 'exit' can come before the last frames.
    this.child.stdout?.on('close', () => {
      this.ended = true
      this.parse()
    })
    // A task may be waiting for it: one that never gets ready is given up (the task is spawned).
    this.readyTimer = setTimeout(() => {
      this.readyTimedOut = true
      this.child.kill('SIGKILL')
    }, readyTimeoutMs)
    this.readyTimer.unref()
    this.setRef(false)
  }

  launch(encoded: Buffer, running: Running): void {
    this.running = running
    this.setRef(true)
    this.child.stdin?.write(encoded)
  }

  /** Closes the output pipes of `running`, if it is still this launcher's task. */
  closeStdio(running: Running): void {
    if (this.running !== running || running.discard) return
    running.discard = true
    this.child.stdin?.write(Buffer.from([0, 0, 0, 1, 0x43]))
    // What was paused for its output is of no use now; the launcher must be read on.
    if (this.paused) this.resume(this.pauses)
  }

  get pid(): number | undefined {
    return this.child.pid
  }

  /** Takes the next task once the last one's leftovers are dealt with, or ends. */
  release(reuse: boolean): void {
    if (!this.held) return
    this.held = false
    if (reuse) this.idle()
    else this.close()
  }

  close(): void {
    this.dead = true
    this.child.stdin?.end()
    this.setRef(false)
  }

  private receive(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk])
    this.parse()
  }

  private parse(): void {
    while (!this.paused && this.buffered.length > 0) {
      const buffer = this.buffered
      if (this.dataLeft > 0) {
        // Output is handed on as it arrives, in slices of what was read: never copied here.
        const length = Math.min(this.dataLeft, buffer.length)
        this.dataLeft -= length
        this.buffered = buffer.subarray(length)
        this.deliver(buffer.subarray(0, length))
        continue
      }
      if (buffer.length < HEADER_BYTES) break
      const type = buffer[0]
      const value = buffer.readUInt32BE(1)
      const running = this.running
      if (type === 0x4f || type === 0x45) {
        // O / E: `value` bytes of the task's stdout / stderr follow
        this.dataLeft = value
        this.dataStream = type === 0x4f ? 'stdout' : 'stderr'
        this.buffered = buffer.subarray(HEADER_BYTES)
        continue
      }
      if (type === 0x46) {
        // F: not started; one more byte says which step failed
        if (buffer.length < HEADER_BYTES + 1) break
        const step = String.fromCharCode(buffer[HEADER_BYTES] as number)
        this.buffered = buffer.subarray(HEADER_BYTES + 1)
        this.running = undefined
        running?.failed(value, step)
        this.idle()
        continue
      }
      this.buffered = buffer.subarray(HEADER_BYTES)
      if (type === 0x52) {
        this.ready = true
        this.subreaper = value === 1
        clearTimeout(this.readyTimer)
        // Launched on demand, its first task may already be waiting.
        if (!running) this.idle()
      } else if (type === 0x50) running?.forked(value)
      else if (type === 0x53) running?.started()
      // W: bytes appended to the output file; counted even once discarded, as they are there
      else if (type === 0x57) running?.appended?.(value)
      else if (type === 0x58) running?.exited(value)
      else if (type === 0x44) {
        this.running = undefined
        running?.done(value === 1)
        // Its leftovers are its children: no other task may start until they are stopped.
        if (value === 1 && running) this.held = true
        else this.idle()
      }
    }
    // Gone, and every frame it sent before going has been handled.
    if (this.ended && !this.paused) this.die()
  }

  private deliver(data: Buffer): void {
    const running = this.running
    if (!running || running.discard || !running.onOutput) return
    const wait = running.onOutput(data, this.dataStream)
    if (wait) {
      this.paused = true
      const pause = ++this.pauses
      this.child.stdout?.pause()
      void wait.finally(() => this.resume(pause))
    }
  }

  private resume(pause: number): void {
    if (!this.paused || pause !== this.pauses) return
    this.pauses++
    this.paused = false
    this.child.stdout?.resume()
    this.parse()
  }

  private idle(): void {
    if (this.dead) return
    this.setRef(false)
    this.onIdle(this)
  }

  private die(): void {
    if (this.dead && !this.running) return
    this.dead = true
    this.setRef(false)
    if (!this.ready) this.onLost(this.ending)
    const running = this.running
    this.running = undefined
    running?.exited(null)
    running?.done(false)
  }

  /** Why a launcher that never got ready ended: perl's own words when it printed any. */
  private describeEnd(perl: string, code: number | null, signal: NodeJS.Signals | null): string {
    const how = this.readyTimedOut
      ? 'was not ready in time'
      : signal !== null
        ? `was killed by ${signal}`
        : `exited with code ${code}`
    const errors = this.errors.trim()
    return `${perl} ${how} before the launcher was ready${errors ? `: ${errors}` : ''}`
  }

  /** An idle launcher must not keep the action alive: it ends when our end of its stdin closes. */
  private setRef(ref: boolean): void {
    const handles = [this.child, this.child.stdin, this.child.stdout, this.child.stderr] as (
      { ref?: () => void; unref?: () => void } | null | undefined
    )[]
    for (const handle of handles) {
      if (ref) handle?.ref?.()
      else handle?.unref?.()
    }
  }
}

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

/** Idle launchers, and one more started whenever all are busy. */
export class LauncherPool {
  private readonly idle: Launcher[] = []
  private readonly all = new Set<Launcher>()
  private readonly perl: string
  private readonly enabled: boolean
  private whenNoneFree: NoneFree
  private readonly readyTimeoutMs: number
  private readonly killGraceMs: number
  private starting = 0
  private spawned = 0
  private broken = false
  /** Told once why launchers are not used any more (every task is spawned from then on). */
  onUnavailable: ((reason: string) => void) | undefined

  constructor(options: LauncherPoolOptions = {}) {
    this.perl = options.perl ?? LAUNCHER_PERL
    this.enabled = options.enabled ?? launcherSupported(this.perl)
    this.whenNoneFree = options.whenNoneFree ?? NoneFree.Spawn
    this.readyTimeoutMs = options.readyTimeoutMs ?? LAUNCHER_READY_TIMEOUT_MS
    this.killGraceMs = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS
    this.onUnavailable = options.onUnavailable
  }

  /** Starts the command through a launcher; `unavailable` when there is none to use now. */
  launch(request: LaunchRequest): Promise<LaunchOutcome> {
    if (!this.enabled || this.broken) return Promise.resolve({ unavailable: true })
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
      // spawn threw (rather than reporting an 'error'): no launchers here.
      this.disable(Promise.resolve(`${this.perl} could not be started: ${String(error)}`))
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

  private start(
    launcher: Launcher,
    request: LaunchRequest,
    encoded: Buffer
  ): Promise<LaunchOutcome> {
    return new Promise(resolve => {
      let pid: number | undefined
      let stdioOpen = true
      let lost: string | undefined
      let hasExited = false
      let appendedBytes = 0
      let resolveExited!: (value: [number | null, NodeJS.Signals | null]) => void
      let resolveClosed!: () => void
      let resolveLeftovers!: (leftAt: number | undefined) => void
      const exited = new Promise<[number | null, NodeJS.Signals | null]>(
        done => (resolveExited = done)
      )
      const stdioClosed = new Promise<void>(done => (resolveClosed = done))
      const leftovers = new Promise<number | undefined>(done => (resolveLeftovers = done))
      const started = (forkedPid: number): void =>
        resolve({
          process: {
            pid: forkedPid,
            exited,
            stdioClosed,
            stdioOpen: () => stdioOpen,
            closeStdio: () => {
              if (!stdioOpen) return
              stdioOpen = false
              launcher.closeStdio(running)
            },
            lostReason: () => lost,
            adopter: launcher.subreaper ? launcher.pid : undefined,
            leftovers,
            release: reuse => launcher.release(reuse)
          }
        })
      const running: Running = {
        onOutput: request.onOutput,
        appended: bytes => {
          appendedBytes += bytes
          request.outputFile?.appended(bytes)
        },
        discard: false,
        forked: forkedPid => (pid = forkedPid),
        started: () => started(pid as number),
        failed: (errno, step) => resolve({ error: startError(request.file, errno, step) }),
        exited: status => {
          if (hasExited) return
          hasExited = true
          if (pid === undefined) {
            // It died before forking: nothing ran; spawn from now on.
            this.disable(Promise.resolve('a launcher stopped before it started its task'))
            resolve({ unavailable: true })
            return
          }
          if (status === null) {
            // The task may be running (or have run) without us seeing how it ended. It must not
            // run a second time: report it lost; its group is stopped like any leftover.
            lost = 'the launcher that started this task stopped unexpectedly'
            countUnreported(request.outputFile, appendedBytes)
            started(pid)
          }
          resolveExited(decodeWaitStatus(status))
        },
        done: left => {
          stdioOpen = false
          resolveClosed()
          // A look at /proc from before this frame may miss what the task started last.
          resolveLeftovers(left ? moment() : undefined)
        }
      }
      launcher.launch(encoded, running)
    })
  }
}

/**
 * A launcher that died may have appended bytes it did not get to report: the file is its alone
 * and nothing writes to it any more, so its size says how many.
 */
function countUnreported(file: OutputFile | undefined, reported: number): void {
  if (file === undefined) return
  try {
    const size = fs.statSync(file.path).size
    if (size > reported) file.appended(size - reported)
  } catch {
    // Never created: nothing was appended.
  }
}

function firstNames(constants: Readonly<Record<string, number>>): Map<number, string> {
  const names = new Map<number, string>()
  for (const [name, value] of Object.entries(constants))
    if (!names.has(value)) names.set(value, name)
  return names
}

/**
 * The syscall numbers the launcher calls by number (pidfd_open, setsid, rt_sigprocmask,
 * exit_group, close, prctl) on the architectures GitHub's Linux runners have; elsewhere tasks
 * are spawned.
 */
const SYSCALLS: Partial<Record<string, readonly number[]>> = {
  x64: [434, 112, 14, 231, 3, 157],
  arm64: [434, 157, 135, 94, 57, 167]
}

/** The launcher's arguments: syscall numbers, the output file's open(2) flags, EINTR, the grace. */
export function launcherArguments(killGraceMs: number = DEFAULT_KILL_GRACE_MS): string[] {
  const syscalls = SYSCALLS[process.arch]
  if (syscalls === undefined) throw new Error(`No launcher for ${process.arch}`)
  // A fresh file per attempt, created by the launcher alone: never an existing file or a link.
  const { O_WRONLY, O_APPEND, O_CREAT, O_EXCL, O_NOFOLLOW } = fs.constants
  const flags = O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_NOFOLLOW
  return [...syscalls, flags, os.constants.errno.EINTR, Math.max(0, Math.round(killGraceMs))].map(
    String
  )
}

/** Whether tasks can be started through launchers on this machine. */
export function launcherSupported(perl: string = LAUNCHER_PERL): boolean {
  if (process.platform !== 'linux' || SYSCALLS[process.arch] === undefined) return false
  try {
    fs.accessSync(perl, fs.constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** The wait status of waitpid(2) as Node's 'exit' event reports it: [code, null] or [null, signal]. */
export function decodeWaitStatus(status: number | null): [number | null, NodeJS.Signals | null] {
  if (status === null) return [null, null]
  const signal = status & 0x7f
  if (signal === 0) return [(status >> 8) & 0xff, null]
  return [null, SIGNAL_NAMES.get(signal) ?? null]
}

/** The error Node's spawn gives for the same failure, e.g. `spawn nosuch ENOENT`. */
function startError(file: string, errno: number, step: string): NodeJS.ErrnoException {
  const code = ERRNO_NAMES.get(errno) ?? `errno ${errno}`
  const syscall = step === 'f' ? 'fork' : step === 'p' ? 'pipe' : 'spawn'
  const message = step === 'f' || step === 'p' ? `${syscall} ${code}` : `spawn ${file} ${code}`
  const error: NodeJS.ErrnoException = new Error(message)
  error.code = code
  error.errno = -errno
  error.syscall = `${syscall} ${file}`
  error.path = file
  return error
}

/** `R`, then cwd, argument count, argv (file first) and NAME=value strings, each length-prefixed. */
function encodeRequest(request: LaunchRequest): Buffer | undefined {
  // An empty cwd means ours, as for spawn.
  const file = request.outputFile
  const strings = [
    request.cwd || process.cwd(),
    file?.path ?? '',
    String(file?.after ?? 0),
    String(request.args.length + 1),
    request.file
  ]
  for (const arg of request.args) strings.push(arg)
  for (const [name, value] of Object.entries(request.env ?? process.env)) {
    if (value !== undefined) strings.push(`${name}=${value}`)
  }
  if (request.marker !== undefined) strings.push(request.marker)
  let size = 4 + 1
  const lengths: number[] = []
  for (const text of strings) {
    // No string can carry a NUL byte: spawn refuses it with an error of its own.
    if (text.includes('\0')) return undefined
    const length = Buffer.byteLength(text)
    lengths.push(length)
    size += 4 + length
  }
  const buffer = Buffer.allocUnsafe(size)
  buffer.writeUInt32BE(size - 4, 0)
  buffer[4] = 0x52
  let offset = 5
  strings.forEach((text, index) => {
    const length = lengths[index] as number
    buffer.writeUInt32BE(length, offset)
    buffer.write(text, offset + 4)
    offset += 4 + length
  })
  return buffer
}
