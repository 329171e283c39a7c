// Browser mode end to end at the HTTP level: a real server on a free port, a real back end.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { connect } from 'node:net'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { Backend } from '#main/app/backend'
import { startServer } from '#main/server/index'
import type { RunningServer, ServerOptions } from '#main/server/types'
import { testBackend } from './support/backend'
import { jpeg } from './support/images'
import { tempDir } from './support/temp'

const INDEX_HTML = '<!doctype html><title>Common Ground test UI</title><div id="app"></div>'

const running: RunningServer[] = []
afterEach(async () => {
  for (const server of running.splice(0)) await server.close()
})

interface Served {
  server: RunningServer
  backend: Backend
  /** Requests always go to 127.0.0.1, whatever address the server is bound to; they carry the token unless `anonymous`. */
  fetchRaw: (rawPath: string, init?: RawInit) => Promise<RawResponse>
  wsUrl: string
  /** The header that signs a request in. */
  auth: Record<string, string>
}

async function serve(options: Partial<ServerOptions> & { built?: boolean } = {}): Promise<Served> {
  const backend = testBackend()
  const rendererDir = tempDir('cg-renderer-')
  if (options.built ?? true) {
    writeFileSync(path.join(rendererDir, 'index.html'), INDEX_HTML)
    mkdirSync(path.join(rendererDir, 'assets'))
    writeFileSync(path.join(rendererDir, 'assets', 'app-1234.js'), 'console.log("ui")')
  }
  const server = await startServer({ backend, rendererDir, port: 0, ...options })
  running.push(server)
  const auth = { Authorization: `Bearer ${server.token}` }
  return {
    server,
    backend,
    fetchRaw: (rawPath, init = {}) => rawRequest(server.port, rawPath, init.anonymous ? init : { ...init, headers: { ...auth, ...init.headers } }),
    wsUrl: `ws://127.0.0.1:${server.port}/events`,
    auth,
  }
}

interface RawInit {
  /** Sent without the token. */
  anonymous?: boolean
  method?: string
  headers?: Record<string, string>
  body?: string | Buffer
}
interface RawResponse {
  status: number
  headers: IncomingHttpHeaders
  body: string
  json: () => unknown
}

/** node:http sends the path exactly as given (fetch would normalize `..` away before sending). */
function rawRequest(port: number, rawPath: string, init: RawInit = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let answered = false
    const req = httpRequest({ host: '127.0.0.1', port, path: rawPath, method: init.method ?? 'GET', headers: init.headers }, (res) => {
      answered = true
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8')
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) })
      })
    })
    // The server may hang up on an oversized body once it has answered: that is not a failure.
    req.on('error', (err) => {
      if (!answered) reject(err)
    })
    req.end(init.body)
  })
}

const post = (s: Served, method: string, payload: unknown, headers: Record<string, string> = {}): Promise<RawResponse> =>
  s.fetchRaw(`/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(payload),
  })

/** Opens a WebSocket; resolves once open, rejects with the HTTP status when the upgrade is refused. */
function openSocket(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers })
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)))
    ws.once('error', reject)
  })
}

describe('the API over HTTP', () => {
  it('creates a project and lists it back', async () => {
    const s = await serve()
    const created = await post(s, 'projects.create', { name: 'Harbour photos' })
    expect(created.status).toBe(200)
    expect(created.json()).toMatchObject({ ok: true, result: { name: 'Harbour photos', postCount: 0 } })

    const listed = await post(s, 'projects.list', null)
    expect(listed.json()).toMatchObject({ ok: true, result: [{ name: 'Harbour photos' }] })
  })

  it('answers an unknown method with an error envelope naming it', async () => {
    const s = await serve()
    const reply = await post(s, 'projects.explode', null)
    expect(reply.status).toBe(200)
    expect(reply.json()).toEqual({ ok: false, error: { code: 'bad-request', message: expect.stringContaining('projects.explode') } })
  })

  it('refuses a payload its method’s schema does not pass, naming the field, and writes nothing', async () => {
    const s = await serve()
    const cases: Array<[string, unknown, string]> = [
      ['projects.create', { name: 42 }, 'name: expected text'],
      ['projects.create', 'Harbour photos', 'projects.create: expected an object'],
      ['labels.set', { projectId: 1, postId: 1, modality: 'sound', label: 'positive', annotator: 'ann' }, 'modality: expected one of overall, text, image'],
      ['runs.start', { projectId: 1, method: 'scdr', labels: { mode: 'draw', n: 600, draw: 'random' } }, 'labels.draw: expected one of per-class, proportional'],
      ['review.decide', { runId: 1, postId: 2, kind: 'accept', annotator: '' }, 'annotator: enter a name'],
    ]
    for (const [method, payload, message] of cases) {
      const reply = await post(s, method, payload)
      expect(reply.status).toBe(200)
      expect(reply.json(), method).toEqual({ ok: false, error: { code: 'bad-request', message } })
    }
    expect((await post(s, 'projects.list', null)).json()).toEqual({ ok: true, result: [] })
  })

  it('refuses malformed JSON, non-JSON bodies and bodies over 1 MiB', async () => {
    const s = await serve()
    const malformed = await s.fetchRaw('/api/projects.list', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{nope' })
    expect(malformed.status).toBe(400)
    expect(malformed.json()).toMatchObject({ ok: false, error: { code: 'bad-request' } })

    const form = await s.fetchRaw('/api/projects.list', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'null' })
    expect(form.status).toBe(400)

    const huge = await post(s, 'projects.create', { name: 'x'.repeat(1024 * 1024 + 10) })
    expect(huge.status).toBe(413)
    expect((await post(s, 'projects.list', null)).json()).toEqual({ ok: true, result: [] })
  })
})

describe('events over a WebSocket', () => {
  it('delivers every back-end event to a connected client', async () => {
    const s = await serve()
    const ws = await openSocket(s.wsUrl, s.auth)
    const frame = new Promise<unknown>((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)))))
    s.backend.events.emit('projects.changed', { projectId: 42 })
    expect(await frame).toEqual({ event: 'projects.changed', payload: { projectId: 42 } })
    ws.close()
  })

  it('sends events caused by API calls', async () => {
    const s = await serve()
    const ws = await openSocket(s.wsUrl, s.auth)
    const frame = new Promise<unknown>((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)))))
    const created = (await post(s, 'projects.create', { name: 'Live' })).json() as { result: { id: number } }
    expect(await frame).toEqual({ event: 'projects.changed', payload: { projectId: created.result.id } })
    ws.close()
  })

  it('refuses a socket opened by a page from another site', async () => {
    const s = await serve()
    await expect(openSocket(s.wsUrl, { ...s.auth, Origin: 'http://evil.example' })).rejects.toThrow('403')
  })
})

describe('the built UI', () => {
  it('serves index.html with a strict CSP, assets, and the app for unknown routes', async () => {
    const s = await serve()
    const index = await s.fetchRaw('/')
    expect(index.status).toBe(200)
    expect(index.body).toBe(INDEX_HTML)
    expect(index.headers['content-type']).toMatch(/^text\/html/)
    expect(index.headers['content-security-policy']).toContain("script-src 'self'")
    expect(index.headers['x-content-type-options']).toBe('nosniff')

    const asset = await s.fetchRaw('/assets/app-1234.js')
    expect(asset.headers['content-type']).toMatch(/^text\/javascript/)
    expect(asset.body).toBe('console.log("ui")')

    expect((await s.fetchRaw('/projects/3')).body).toBe(INDEX_HTML)
    expect((await s.fetchRaw('/assets/missing.js')).status).toBe(404)
    expect((await s.fetchRaw('/../../../etc/passwd')).body).toBe(INDEX_HTML)
    expect((await s.fetchRaw('/%2e%2e/%2e%2e/etc/hosts')).body).toBe(INDEX_HTML)
  })

  it('says how to build the UI when it is not built', async () => {
    const s = await serve({ built: false })
    const reply = await s.fetchRaw('/')
    expect(reply.status).toBe(503)
    expect(reply.body).toBe('The UI is not built: run `npm run build`')
  })
})

describe('project media', () => {
  /** A project with one imported folder holding `a.jpg`, a file beside that folder, and a symlink out. */
  async function withSource(s: Served): Promise<{ prefix: string }> {
    const base = tempDir('cg-source-')
    const root = path.join(base, 'dataset')
    mkdirSync(root)
    writeFileSync(path.join(root, 'a.jpg'), await jpeg(1))
    writeFileSync(path.join(base, 'outside.jpg'), await jpeg(2))
    symlinkSync(path.join(base, 'outside.jpg'), path.join(root, 'link.jpg'))
    const project = (await post(s, 'projects.create', { name: 'Media' })).json() as { result: { id: number } }
    const sourceId = s.backend.store.sources.insert(project.result.id, root, 'folder')
    return { prefix: `/media/p/${project.result.id}/s/${sourceId}` }
  }

  it('streams an image of the project, and answers HEAD without a body', async () => {
    const s = await serve()
    const { prefix } = await withSource(s)
    const image = await s.fetchRaw(`${prefix}/a.jpg`)
    expect(image.status).toBe(200)
    expect(image.headers['content-type']).toBe('image/jpeg')
    expect(image.headers['cache-control']).toBe('private, max-age=3600')

    const head = await s.fetchRaw(`${prefix}/a.jpg`, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0)
    expect(head.headers['content-length']).toBe(image.headers['content-length'])
    expect(head.body).toBe('')
  })

  it('refuses every way out of the imported folder with a plain 404', async () => {
    const s = await serve()
    const { prefix } = await withSource(s)
    for (const escape of [
      '/media/p/1/s/1/../../etc/passwd',
      `${prefix}/../outside.jpg`,
      `${prefix}/%2e%2e/outside.jpg`,
      `${prefix}/%2E%2E%2Foutside.jpg`,
      `${prefix}//etc/passwd`,
      `${prefix}/%2Fetc%2Fpasswd`,
      `${prefix}/link.jpg`,
      `${prefix}/missing.jpg`,
      '/media/p/999/s/1/a.jpg',
    ]) {
      const reply = await s.fetchRaw(escape)
      expect(reply.status, escape).toBe(404)
      expect(reply.body, escape).toBe('Not found')
    }
  })
})

describe('who may connect', () => {
  it('on loopback, refuses requests addressed to another host name (DNS rebinding)', async () => {
    const s = await serve()
    expect((await s.fetchRaw('/', { headers: { Host: `evil.example:${s.server.port}` } })).status).toBe(403)
    expect((await s.fetchRaw('/', { headers: { Host: `localhost:${s.server.port}` } })).status).toBe(200)
    expect(s.server.url).toBe(`http://127.0.0.1:${s.server.port}/`)
  })

  // Finding 2 (issue 12): on loopback any local program, any other user of the machine, reached the API.
  it('on loopback too, refuses API, media, UI and WebSocket requests without the token', async () => {
    const s = await serve()
    expect(s.server.token).toMatch(/^[\w-]{20,}$/)
    const refused = await s.fetchRaw('/api/projects.list', { anonymous: true, method: 'POST', headers: { 'Content-Type': 'application/json' }, body: 'null' })
    expect(refused.status).toBe(401)
    expect(refused.json()).toMatchObject({ ok: false, error: { code: 'unauthorized', message: expect.stringContaining('token') } })
    const listDir = await s.fetchRaw('/api/system.listDir', { anonymous: true, method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"path":"/etc"}' })
    expect(listDir.status).toBe(401)
    expect((await s.fetchRaw('/media/p/1/s/1/a.jpg', { anonymous: true })).status).toBe(401)
    expect((await s.fetchRaw('/', { anonymous: true })).status).toBe(401)
    await expect(openSocket(s.wsUrl)).rejects.toThrow('401')
    expect((await post(s, 'projects.list', null)).json()).toEqual({ ok: true, result: [] })
  })

  it('lets in only clients holding the token, off loopback as on it', async () => {
    const s = await serve({ host: '0.0.0.0' })
    const token = s.server.token

    expect((await s.fetchRaw('/', { anonymous: true })).status).toBe(401)
    expect((await s.fetchRaw('/?token=wrong', { anonymous: true })).status).toBe(401)
    const refused = await s.fetchRaw('/api/app.info', { anonymous: true, method: 'POST', headers: { 'Content-Type': 'application/json' }, body: 'null' })
    expect(refused.status).toBe(401)
    await expect(openSocket(s.wsUrl)).rejects.toThrow('401')

    // Opening the printed address once signs the browser in with a cookie.
    const signIn = await s.fetchRaw(`/?token=${token}`, { anonymous: true })
    expect(signIn.status).toBe(302)
    expect(signIn.headers.location).toBe('/')
    const cookie = signIn.headers['set-cookie']?.[0] ?? ''
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Strict/)
    const session = { Cookie: cookie.split(';')[0]! }

    expect((await s.fetchRaw('/', { anonymous: true, headers: session })).body).toBe(INDEX_HTML)
    const info = await s.fetchRaw('/api/app.info', { anonymous: true, method: 'POST', headers: { 'Content-Type': 'application/json', ...session }, body: 'null' })
    expect(info.json()).toMatchObject({ ok: true, result: { shell: 'browser' } })
    const ws = await openSocket(s.wsUrl, session)
    ws.close()
  })

  it('takes a token it is given', async () => {
    const s = await serve({ token: 'team secret' })
    expect((await s.fetchRaw('/', { anonymous: true })).status).toBe(401)
    const signIn = await s.fetchRaw(`/?token=${encodeURIComponent('team secret')}`, { anonymous: true })
    const session = { Cookie: signIn.headers['set-cookie']?.[0]?.split(';')[0] ?? '' }
    expect((await s.fetchRaw('/', { anonymous: true, headers: session })).status).toBe(200)
  })

  // Finding 7 (issue 12): `/\evil.example?token=T` answered 302 to `/\evil.example`, which a browser reads as //evil.example.
  it('after sign-in, redirects only to a path of this server', async () => {
    const s = await serve()
    const token = encodeURIComponent(s.server.token)
    const cases: Array<[string, string]> = [
      ['/\\evil.example', '/'],
      ['//evil.example', '/'],
      ['/\\/evil.example/x', '/'],
      ['/%5Cevil.example', '/%5Cevil.example'],
      ['/.//evil.example', '/evil.example'],
      ['/projects/3', '/projects/3'],
    ]
    for (const [rawPath, location] of cases) {
      const reply = await s.fetchRaw(`${rawPath}?token=${token}`, { anonymous: true })
      expect(reply.status, rawPath).toBe(302)
      expect(reply.headers.location, rawPath).toBe(location)
    }
  })
})

describe('clients that stall', () => {
  /** Sends headers and part of a 1 MB body, then nothing; resolves with what the server did. */
  function stallUpload(port: number, token: string): Promise<{ status: number | null; closedAfterMs: number }> {
    return new Promise((resolve) => {
      const started = Date.now()
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(
          `POST /api/projects.list HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\n` +
            `Content-Type: application/json\r\nContent-Length: ${1024 * 1024}\r\n\r\n` + ' '.repeat(64 * 1024),
        )
      })
      let reply = ''
      socket.on('data', (d: Buffer) => (reply += d.toString('latin1')))
      socket.on('error', () => undefined)
      socket.on('close', () => {
        const status = /^HTTP\/1\.1 (\d{3})/.exec(reply)
        resolve({ status: status ? Number(status[1]) : null, closedAfterMs: Date.now() - started })
      })
    })
  }

  // Finding 6 (issue 12): 300 sockets stalling a 1 MB body held their buffers; the timeout was 300 s.
  it('cuts off a stalled upload after the request time-out, and turns away uploads past the limit', async () => {
    const s = await serve({ limits: { headersTimeoutMs: 500, requestTimeoutMs: 1000, concurrentBodies: 2 } })
    const stalled = [stallUpload(s.server.port, s.server.token), stallUpload(s.server.port, s.server.token)]
    await new Promise((r) => setTimeout(r, 200))
    const third = await stallUpload(s.server.port, s.server.token)
    expect(third.status).toBe(503)
    for (const outcome of await Promise.all(stalled)) {
      expect(outcome.status).toBe(408)
      expect(outcome.closedAfterMs).toBeLessThan(5000)
    }
    // The gate is free again once the stalled bodies are dropped.
    expect((await post(s, 'projects.list', null)).json()).toEqual({ ok: true, result: [] })
  })
})
