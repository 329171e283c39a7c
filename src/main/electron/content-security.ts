import type { Session } from 'electron'
import { CONTENT_SECURITY_POLICY, DEV_CONTENT_SECURITY_POLICY } from '#shared/csp'
import type { AppPage } from './app-page'

/**
 * Sends the CSP as a response header for the app's pages too (the built index.html also carries it
 * as a <meta> tag). The dev server's pages get the dev policy, which allows Vite's inline styles.
 */
export function enforceContentSecurityPolicy(session: Session, page: AppPage): void {
  const policy = page.dev ? DEV_CONTENT_SECURITY_POLICY : CONTENT_SECURITY_POLICY
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!page.isAppUrl(details.url)) return callback({})
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] } })
  })
}
