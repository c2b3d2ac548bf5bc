#!/usr/bin/perl
# The launcher: a long-lived process per worker slot that starts the action's tasks (fork and
# exec, off the action's main thread) and relays their output, one task at a time. The action's
# end is src/exec/launcher*.ts; docs/decisions/003-launcher-per-slot.md and 004-orphans.md say why.
#
# When its stdin ends or its stdout breaks (the action is gone, even killed by SIGKILL), it stops
# the task's group and every process below it (SIGTERM, SIGKILL after the grace), then exits.
#
# No module is loaded but strict (POSIX alone takes 10 ms to load, five times the rest of perl's
# start-up): the few system calls it needs are made by number, and those numbers, open(2) flags
# and EINTR come from the action as NAME=value arguments.
use strict;

# Requests, on stdin: a 4-byte length, then the type byte and what it carries.
# Run a task: length-prefixed strings: cwd, output file, bytes to send before using it, argument
# count, arguments, NAME=value environment.
sub REQUEST_RUN() { 'R' }
# Close the running task's output pipes (its background children may hold them).
sub REQUEST_CLOSE() { 'C' }

# Frames, on stdout: the type byte and a 4-byte value (launcher-protocol.ts has the same letters).
sub FRAME_READY()   { 'R' }    # once, at start: 1 when the launcher is a child subreaper
sub FRAME_FORKED()  { 'P' }    # forked: the pid of what may now run
sub FRAME_STARTED() { 'S' }    # exec succeeded: the pid
sub FRAME_FAILED()  { 'F' }    # not started: errno, then one more byte, the STEP_ that failed
sub FRAME_STDOUT()  { 'O' }    # the task's stdout: the length, then the bytes
sub FRAME_STDERR()  { 'E' }    # the task's stderr: the length, then the bytes
sub FRAME_WRITTEN() { 'W' }    # bytes appended to the output file
sub FRAME_EXITED()  { 'X' }    # the task's process ended: its wait status
sub FRAME_DONE()    { 'D' }    # both pipes closed: 1 when a process the task left is a child

# The step of a start that failed (FRAME_FAILED).
sub STEP_PIPE()     { 'p' }    # pipe(2), or making one the task's stdout or stderr
sub STEP_FORK()     { 'f' }
sub STEP_SETSID()   { 's' }
sub STEP_DEV_NULL() { 'n' }    # opening /dev/null as the task's stdin
sub STEP_CHDIR()    { 'c' }
sub STEP_EXEC()     { 'e' }

# The action's NAME=value arguments.
my %given = map { split(/=/, $_, 2) } @ARGV;

# The value of a NAME=value argument; the launcher cannot run without it.
sub argument {
  my ($name) = @_;
  return $given{$name} if defined $given{$name};
  die "parallel-exec launcher: no $name= argument\n";
}

# System call numbers of this architecture.
my $SYS_PIDFD_OPEN     = argument('pidfd_open');
my $SYS_SETSID         = argument('setsid');
my $SYS_RT_SIGPROCMASK = argument('rt_sigprocmask');
my $SYS_EXIT_GROUP     = argument('exit_group');
my $SYS_CLOSE          = argument('close');
my $SYS_PRCTL          = argument('prctl');
# open(2) flags of the output file.
my $OUTPUT_FILE_FLAGS = argument('output_file_flags');
my $EINTR             = argument('EINTR');
# How long processes get between SIGTERM and SIGKILL when the action is gone.
my $GRACE_MS = argument('grace_ms');

$0 = 'parallel-exec launcher';
# prctl(PR_SET_CHILD_SUBREAPER, 1): a process of the task whose parent ends (a double fork,
# setsid -f) becomes this launcher's child instead of init's, so the action can still find it.
my $subreaper = syscall($SYS_PRCTL, 36, 1, 0, 0, 0) == 0 ? 1 : 0;
binmode(STDIN);
binmode(STDOUT);
# Stopping tasks is the action's job: it signals each task's process group itself.
my @ignored = qw(INT TERM HUP QUIT PIPE);
$SIG{$_} = 'IGNORE' for @ignored;
# Wakes select() when the task's process ends while something still holds its output open.
$SIG{CHLD} = sub { };
# The task whose processes may still run (until it is done with none left, or released).
my $task;

# Reads $n bytes of a request; the action is gone when its end of stdin closes.
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

# One request: its 4-byte length, then that many bytes.
sub read_request { return read_exactly(unpack('N', read_exactly(4))) }

# Writes a frame whole: the type, the 4-byte value and the data that follows it, if any.
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

# Forks and execs the task. Returns its pid and the read ends of its stdout and stderr, or
# nothing when it did not start (FRAME_FAILED said why).
sub start_task {
  my ($cwd, $argv) = @_;
  my ($out_r, $out_w, $err_r, $err_w, $status_r, $status_w);
  unless (pipe($out_r, $out_w) && pipe($err_r, $err_w) && pipe($status_r, $status_w)) {
    send_frame(FRAME_FAILED, $! + 0, STEP_PIPE);
    return;
  }
  my $pid = fork();
  if (!defined $pid) {
    send_frame(FRAME_FAILED, $! + 0, STEP_FORK);
    return;
  }
  become_task($cwd, $argv, $out_w, $err_w, $status_w) if $pid == 0;
  $task = $pid;
  # The pid first: should this launcher die now, the action knows what it may have started.
  send_frame(FRAME_FORKED, $pid);
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
    send_frame(FRAME_FAILED, unpack('N', $failure), substr($failure, 4, 1));
    return;
  }
  send_frame(FRAME_STARTED, $pid);
  return ($pid, $out_r, $err_r);
}

# In the forked child: execs the task, or writes errno and the step that failed to the status
# pipe and ends. Never returns.
sub become_task {
  my ($cwd, $argv, $out_w, $err_w, $status_w) = @_;
  $SIG{$_} = 'DEFAULT' for @ignored, 'CHLD';
  # An empty signal mask: rt_sigprocmask(SIG_SETMASK, {}, NULL, 8). A variable, not a literal:
  # syscall() passes strings as writable buffers.
  my $no_signals = "\0" x 8;
  syscall($SYS_RT_SIGPROCMASK, 2, $no_signals, 0, 8);
  # exit_group(2), as _exit: nothing of the launcher's may run or be flushed in the child.
  my $fail = sub {
    syswrite($status_w, pack('Na', $! + 0, $_[0]));
    syscall($SYS_EXIT_GROUP, 127);
    kill('KILL', $$);
  };
  # A session of its own, as spawn's detached: leader of its process group, no terminal.
  syscall($SYS_SETSID) == -1 and $fail->(STEP_SETSID);
  # Reopened standard handles keep their descriptors 0, 1 and 2 (and no close-on-exec).
  open(STDIN, '<', '/dev/null') or $fail->(STEP_DEV_NULL);
  open(STDOUT, '>&', $out_w) or $fail->(STEP_PIPE);
  open(STDERR, '>&', $err_w) or $fail->(STEP_PIPE);
  chdir($cwd) or $fail->(STEP_CHDIR);
  exec { $argv->[0] } @$argv or $fail->(STEP_EXEC);
}

# Hands the task's output to the action as frames: the first $framed bytes, and the rest too
# unless $file is given; then the rest is appended to $file (FRAME_WRITTEN says how much). Should
# the file fail, the rest goes as frames. Returns the relay and what closes the file.
sub output_relay {
  my ($file, $framed) = @_;
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
        send_frame(FRAME_WRITTEN, $wrote);
      }
    }
    send_frame($type, length($data), $data) if length($data);
  };
  return ($relay, sub { close($file_fh) if $file_fh });
}

# Relays the task's output until both its pipes are closed (or the action asked to close them),
# and reports its wait status once its process has ended.
sub relay_task {
  my ($pid, $out_r, $err_r, $file, $framed) = @_;
  # pidfd_open(2) (Linux 5.3+): readable once the process has ended, so select() wakes for it
  # without a race; without it, SIGCHLD and a 0.1 s timeout.
  my $pidfd = syscall($SYS_PIDFD_OPEN, $pid, 0);
  $pidfd = undef if $pidfd < 0;
  my %open = (FRAME_STDOUT, $out_r, FRAME_STDERR, $err_r);
  my ($relay, $close_file) = output_relay($file, $framed);
  my $exited = 0;
  while (!$exited || %open) {
    my ($status) = reap($pid);
    if (!$exited && defined $status) {
      send_frame(FRAME_EXITED, $status);
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
    if (vec($readable, fileno(STDIN), 1) && read_request() eq REQUEST_CLOSE) {
      close($_) for values %open;
      %open = ();
    }
    # stdout first when both have data (as most programs write): hash order would be random.
    for my $type (grep { $open{$_} } FRAME_STDOUT, FRAME_STDERR) {
      my $pipe = $open{$type};
      next unless vec($readable, fileno($pipe), 1);
      my $n = sysread($pipe, my $data, 65536);
      next if !defined $n && $! == $EINTR;
      if ($n) { $relay->($type, $data) }
      else { close($pipe); delete $open{$type} }
    }
  }
  syscall($SYS_CLOSE, $pidfd) if defined $pidfd;
  $close_file->();
}

send_frame(FRAME_READY, $subreaper);
for (;;) {
  my $request = read_request();
  # Released: the action has stopped what the last task left, if anything.
  undef $task;
  # Adopted processes that ended since the last task.
  reap(0);
  next unless substr($request, 0, 1) eq REQUEST_RUN;
  my ($cwd, $file, $framed, $argc, @rest) = unpack('(N/a*)*', substr($request, 1));
  my @argv = splice(@rest, 0, $argc);
  # Exactly the task's environment, in the order given (as spawn passes it).
  %ENV = ();
  for (@rest) { my ($name, $value) = split(/=/, $_, 2); $ENV{$name} = $value }
  my ($pid, $out_r, $err_r) = start_task($cwd, \@argv) or next;
  relay_task($pid, $out_r, $err_r, $file, $framed);
  # Whether any child is left: only the task's can be, and the action stops them.
  my (undef, $left) = reap(0);
  undef $task unless $left;
  send_frame(FRAME_DONE, $left ? 1 : 0);
}
