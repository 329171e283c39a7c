import type { ErrorCode } from '#shared/contract'

/** A failure the back end answered with: its code and its own words. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}
