// Domain failures carry a stable code; the API maps codes to HTTP statuses in one table.

export type DomainErrorCode =
  | 'not-found'
  | 'access-denied'
  | 'invalid'
  | 'conflict'
  | 'unauthenticated'
  | 'unavailable' // the database cannot be reached or does not answer: nothing is wrong with the request
  | 'too-large' // a file over its topic's limit
  | 'unsupported-type'; // a file of a kind its topic does not take

export class DomainError extends Error {
  /** A lost race (another writer got there first): trying again may succeed. */
  readonly retryable: boolean;
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    options: { retryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'DomainError';
    this.retryable = options.retryable ?? false;
  }
}

export const notFound = (what: string) => new DomainError('not-found', `${what} not found`);
export const accessDenied = (message: string) => new DomainError('access-denied', message);
export const invalid = (message: string) => new DomainError('invalid', message);
export const conflict = (message: string) => new DomainError('conflict', message);
export const concurrentChange = (message: string) => new DomainError('conflict', message, { retryable: true });
