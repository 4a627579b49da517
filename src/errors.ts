// Errors a user can cause. Each is typed, carries where it happened (field, row, line:column) and is
// rendered once at the edge: the CLI prints one line and exits 1; HTTP answers problem+json 4xx.

export interface ErrorLocation {
  field?: string;
  row?: number;
  column?: number | string;
  line?: number;
}

export class UserError extends Error {
  /** HTTP status this error maps to (4xx). */
  readonly status: number = 400;
  /** Short machine-readable kind, used as the problem `type` suffix. */
  readonly code: string = 'bad-request';
  readonly location: ErrorLocation;

  constructor(message: string, location: ErrorLocation = {}) {
    super(message);
    this.name = new.target.name;
    this.location = location;
  }

  /** One line for a terminal: location prefix and the sentence. */
  toLine(): string {
    const { line, column, row, field } = this.location;
    const where: string[] = [];
    if (row !== undefined) where.push(`row ${row}`);
    if (line !== undefined) where.push(column !== undefined ? `${line}:${column}` : `line ${line}`);
    else if (column !== undefined) where.push(`column ${column}`);
    if (field !== undefined) where.push(`field ${field}`);
    return where.length ? `${where.join(', ')}: ${this.message}` : this.message;
  }
}

export class ValidationError extends UserError {
  override readonly code = 'validation';
}

export class NotFoundError extends UserError {
  override readonly status = 404;
  override readonly code = 'not-found';
}

export class ConflictError extends UserError {
  override readonly status = 409;
  override readonly code = 'conflict';
}

export class AuthenticationError extends UserError {
  override readonly status = 401;
  override readonly code = 'unauthenticated';
}

export class ForbiddenError extends UserError {
  override readonly status = 403;
  override readonly code = 'forbidden';
}

export class PayloadTooLargeError extends UserError {
  override readonly status = 413;
  override readonly code = 'too-large';
}

/** A refusal for now, not for good (busy, rate-limited): the answer says when to come back (Retry-After). */
export abstract class RetryLaterError extends UserError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError;
}
