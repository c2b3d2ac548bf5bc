import { run } from './main.js'

// Not `await run()`: a top-level await makes the bundler wrap all the code in an async module
// function, which V8 parses a second time when it is called (~10 ms of every start-up). `run`
// catches its own errors.
void run()
