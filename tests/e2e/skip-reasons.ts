// Playwright's list reporter marks a skipped test with "-" and no reason. This reporter prints,
// at the end of the run, every reason a test was skipped for and the tests it skipped, so no skip
// passes without a word. Used by the e2e and the Electron configs, listed before 'list' so the
// reasons come just above list's summary.
import type { Reporter, TestCase, TestResult } from '@playwright/test/reporter'

export default class SkipReasons implements Reporter {
  private readonly skipped = new Map<string, string[]>()

  onTestEnd(test: TestCase, result: TestResult): void {
    if (result.status !== 'skipped') return
    const notes = [...result.annotations, ...test.annotations].filter((a) => a.type === 'skip' || a.type === 'fixme')
    const reason = notes.map((a) => a.description?.trim()).find(Boolean) ?? 'no reason given (a skip without a reason breaks the team rules)'
    const titles = this.skipped.get(reason) ?? []
    titles.push(test.titlePath().filter(Boolean).join(' › '))
    this.skipped.set(reason, titles)
  }

  onEnd(): void {
    if (this.skipped.size === 0) return
    const lines = ['', 'Skipped, and why:']
    for (const [reason, titles] of this.skipped) {
      lines.push(`  ${titles.length} test${titles.length === 1 ? '' : 's'}: ${reason}`)
      for (const title of titles) lines.push(`    - ${title}`)
    }
    console.log(lines.join('\n'))
  }

  printsToStdio(): boolean {
    return true
  }
}
