// Asking the browser-mode back end directly, as the page's API client does (the page's request
// context carries the session's token), for what a spec checks behind the UI.
import { expect, type Page } from '@playwright/test'
import type { Method, Req, Res } from '#shared/contract'

export async function api<M extends Method>(page: Page, method: M, payload: Req<M>): Promise<Res<M>> {
  // As the page's client sends it: a method without a payload gets `null` (http-bridge.ts).
  const reply = (await (await page.request.post(`/api/${method}`, { data: payload ?? null })).json()) as { ok: boolean; result: Res<M> }
  expect(reply.ok).toBe(true)
  return reply.result
}
