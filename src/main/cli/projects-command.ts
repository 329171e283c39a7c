import { whenUtc } from '#main/core/when'
import { printJson, withBackend, type Command } from './command'

/** The store's projects, newest first: the names `--project` takes. */
export const projectsCommand: Command = {
  usage: '',
  summary: 'The projects in the store (the names --project takes), with their posts and when each was made',
  options: {},
  async run(ctx) {
    return withBackend(ctx, async ({ store }) => {
      const projects = store.projects.list()
      if (ctx.json) {
        printJson({ ok: true, projects })
        return 0
      }
      if (projects.length === 0) console.log(`No projects in ${store.path} yet: import creates one (common-ground import PATH --project NAME).`)
      for (const p of projects) {
        const posts = `${p.postCount} ${p.postCount === 1 ? 'post' : 'posts'}`
        console.log(`${p.name} · ${posts} · created ${whenUtc(p.createdAt)}${p.description ? ` · ${p.description}` : ''}`)
      }
      return 0
    })
  },
}
