import type { ApiErrorBody, ErrorCode } from '#shared/contract'

/** An error whose message is meant for the user: it names the file, field or thing at fault. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'AppError'
  }
}

export const badRequest = (message: string): AppError => new AppError('bad-request', message)
export const notFound = (message: string): AppError => new AppError('not-found', message)

export function toErrorBody(err: unknown): ApiErrorBody {
  if (err instanceof AppError) return { code: err.code, message: err.message }
  const message = err instanceof Error ? err.message : String(err)
  return { code: 'internal', message: `Internal error: ${message}` }
}
