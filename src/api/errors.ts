// The one error table: every failure becomes an HTTP status plus SuperOffice's error envelope.
import { DomainError, type DomainErrorCode } from '../domain/errors.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const DOMAIN_ERRORS: Record<DomainErrorCode, { status: number; type: string }> = {
  invalid: { status: 400, type: 'SoValidationException' },
  unauthenticated: { status: 401, type: 'SoCredentialsException' },
  'access-denied': { status: 403, type: 'SoAccessDeniedException' },
  'not-found': { status: 404, type: 'SoNotFoundException' },
  conflict: { status: 409, type: 'SoConcurrencyException' },
  unavailable: { status: 503, type: 'SoServiceUnavailableException' },
  'too-large': { status: 413, type: 'SoPayloadTooLargeException' },
  'unsupported-type': { status: 415, type: 'SoUnsupportedMediaTypeException' },
};

export const badRequest = (message: string) => new ApiError(400, 'SoBadRequestException', message);
export const REALM = 'Basic realm="SuperOffice Username or Ticket"';
export const unauthorized = (message: string) => new ApiError(401, 'SoCredentialsException', message, { 'WWW-Authenticate': REALM });

export interface ErrorEnvelope {
  Error: true;
  ErrorType: string;
  ErrorMessage: string;
  ErrorSource: string;
}

/** Any thrown value → status, headers and envelope; unexpected errors never leak their details. */
export function toErrorResponse(err: unknown): { status: number; headers: Record<string, string>; envelope: ErrorEnvelope; unexpected: boolean } {
  if (err instanceof ApiError) {
    return { status: err.status, headers: err.headers, envelope: envelope(err.errorType, err.message), unexpected: false };
  }
  if (err instanceof DomainError) {
    const { status, type } = DOMAIN_ERRORS[err.code];
    const headers: Record<string, string> = status === 401 ? { 'WWW-Authenticate': REALM } : status === 503 ? { 'Retry-After': '5' } : {};
    return { status, headers, envelope: envelope(type, err.message), unexpected: false };
  }
  return {
    status: 500,
    headers: {},
    unexpected: true,
    envelope: envelope('SoServerException', 'The server could not complete the request; the error has been logged'),
  };
}

const envelope = (type: string, message: string): ErrorEnvelope => ({ Error: true, ErrorType: type, ErrorMessage: message, ErrorSource: 'Parley' });
