import path from 'node:path'
import type { ImportProblem, ProblemCode, ProblemSeverity } from '#shared/imports'
import type { Origin } from './candidate'

/** Collects problems with file paths made relative to the imported folder, as people read them. */
export class ProblemLog {
  readonly problems: ImportProblem[] = []

  constructor(private readonly root: string) {}

  /** A path as the report shows it: relative to the imported folder where it lies in it. */
  private shown(file: string): string {
    const rel = path.relative(this.root, file)
    return rel === '' ? path.basename(file) : rel.startsWith('..') ? file : rel
  }

  /** "posts.csv, line 3": a place as a message names it. */
  place(at: Origin): string {
    return `${this.shown(at.file)}${at.line !== undefined ? `, line ${at.line}` : ''}`
  }

  add(severity: ProblemSeverity, code: ProblemCode, at: Origin, message: string, externalId?: string): void {
    this.problems.push({
      severity,
      code,
      file: this.shown(at.file),
      ...(at.line !== undefined ? { line: at.line } : {}),
      ...(externalId !== undefined ? { externalId } : {}),
      message,
    })
  }

  error(code: ProblemCode, at: Origin, message: string, externalId?: string): void {
    this.add('error', code, at, message, externalId)
  }

  warn(code: ProblemCode, at: Origin, message: string, externalId?: string): void {
    this.add('warning', code, at, message, externalId)
  }

  get errorCount(): number {
    return this.problems.filter((p) => p.severity === 'error').length
  }
}
