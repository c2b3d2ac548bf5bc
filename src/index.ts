import { failNow } from './action/actions-core.js'
import { failIfUnsettled } from './action/exit-guard.js'
import { run } from './main.js'

// Not `await run()`: a top-level await makes the bundler wrap all the code in an async module
// function, which V8 parses a second time when it is called (~10 ms of every start-up). `run`
// catches its own errors; failIfUnsettled keeps what the await also gave, a failed step should
// the process end while `run` still waits (said on stdout even while tasks' output is routed).
failIfUnsettled(run(), failNow)
