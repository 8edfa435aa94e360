import { ERROR_STATUS, type ErrorCode, type FieldError } from '@gridgov/common/errors';

/** The one error type services throw; the error handler maps `code` to the HTTP status. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  /** Set on denials raised by the access helpers, so that the error handler audits them. */
  readonly denial: boolean;

  constructor(code: ErrorCode, message?: string, details?: unknown, options: { denial?: boolean } = {}) {
    super(message ?? defaultMessage(code));
    this.code = code;
    this.details = details;
    this.denial = options.denial ?? false;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

function defaultMessage(code: ErrorCode): string {
  switch (code) {
    case 'UNAUTHENTICATED':
      return 'Sign in first';
    case 'FORBIDDEN':
      return 'Not allowed';
    case 'NOT_FOUND':
      return 'Not found';
    case 'CONFLICT':
      return 'The object was changed by someone else';
    case 'RATE_LIMITED':
      return 'Too many requests';
    default:
      return code;
  }
}

export function validationError(fields: FieldError[]): AppError {
  const first = fields[0];
  return new AppError('VALIDATION', first ? `${first.field}: ${first.message}` : 'Invalid input', fields);
}

export const notFound = (what = 'Not found', denial = false) =>
  new AppError('NOT_FOUND', what, undefined, { denial });
export const forbidden = (what?: string) => new AppError('FORBIDDEN', what, undefined, { denial: true });
export const conflict = (what?: string) => new AppError('CONFLICT', what);
