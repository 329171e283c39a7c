import path from 'node:path'
import type { ImportProblem, ProblemCode, ProblemSeverity } from '#shared/imports'
import type { Origin } from './candidate'

/** Collects problems with file paths made relative to the imported folder, as people read them. */
export class ProblemLog {
  readonly problems: ImportProblem[] = []

  constructor(private readonly root: string) {}

  add(severity: ProblemSeverity, code: ProblemCode, at: Origin, message: string, externalId?: string): void {
    const rel = path.relative(this.root, at.file)
    const file = rel === '' ? path.basename(at.file) : rel.startsWith('..') ? at.file : rel
    this.problems.push({
      severity,
      code,
      file,
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
