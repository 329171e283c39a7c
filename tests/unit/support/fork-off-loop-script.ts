// A process that starts one worker from the spawner thread, as the CLI does, prints its answer and
// does nothing else: the test checks that the process ends on its own once the worker has.
import { forkOffLoop } from '#main/workers/fork-off-loop'

const child = forkOffLoop<string, { echo: string }>(process.argv[2]!)
child.onMessage((message) => console.log(`answered ${message.echo}`))
child.onExit((reason) => console.log(`worker ended: ${reason ?? 'cleanly'}`))
child.send('bye')
