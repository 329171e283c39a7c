import { shell, type WebContents } from 'electron'

/**
 * The window only ever shows the app: links to the web open in the system browser, new windows
 * are never created, and navigation away from the app's own page is refused.
 */
export function guardNavigation(contents: WebContents, isAppUrl: (url: string) => boolean): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (isWebLink(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  contents.on('will-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

const isWebLink = (url: string): boolean => /^https?:\/\//i.test(url)
