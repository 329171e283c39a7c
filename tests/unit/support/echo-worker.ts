// A worker process for the launcher's tests: answers each message with its pid and the message
// (for "env:NAME", that variable of its environment instead), writes to stderr and exits 3 on
// "crash", and ends cleanly on "bye".
import { parentChannel } from '#main/workers/parent-channel'

const parent = parentChannel<string, { pid: number; echo: string }>()
parent.onMessage((message) => {
  if (message === 'crash') {
    process.stderr.write('the echo worker was told to crash\n')
    process.exit(3)
  }
  const echo = message.startsWith('env:') ? String(process.env[message.slice(4)]) : message
  if (message === 'bye') parent.finish({ pid: process.pid, echo })
  else parent.send({ pid: process.pid, echo })
})
