import type { ErrorCode, FieldError } from '@gridgov/common/errors';

/** An error answered by the API (`{ error: { code, message, details } }`) or a network failure. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode | 'NETWORK';
  readonly details: unknown;

  constructor(status: number, code: ErrorCode | 'NETWORK', message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** Field-level problems of a VALIDATION error, with the `body.`/`query.` prefix removed. */
  get fieldErrors(): FieldError[] {
    if (!Array.isArray(this.details)) return [];
    return this.details
      .filter((d): d is FieldError => typeof d === 'object' && d !== null && 'field' in d && 'message' in d)
      .map((d) => ({
        field: d.field.replace(/^(body|query|params|querystring)\.?/, ''),
        message: d.message,
      }));
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

let csrfToken: string | null = null;
let lastActivity = Date.now();
let unauthorizedHandler: ((error: ApiError) => void) | null = null;

/** Remembers the CSRF token from the latest sign-in step or `GET /api/auth/me`. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called on every 401 of a request that did not opt out (the session has ended or timed out). */
export function onUnauthorized(handler: ((error: ApiError) => void) | null): void {
  unauthorizedHandler = handler;
}

/** Reports a 401 met outside `api()` (e.g. by a query that opted out), as if a request had answered it. */
export function reportUnauthorized(error: ApiError): void {
  unauthorizedHandler?.(error);
}

/** When the server last saw this client; the idle timer compares it with the policy's idle minutes. */
export function lastApiActivity(): number {
  return lastActivity;
}

type QueryValue = string | number | boolean | null | undefined;
/** Query parameters; an array becomes a repeated key (`state=a&state=b`). */
export type Query = Record<string, QueryValue | readonly QueryValue[]>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** A multipart body (file uploads); sent as is, with the browser's content type. */
  form?: FormData;
  query?: Query;
  /** Extra request headers, e.g. `Idempotency-Key`. */
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Sign-in steps answer 401 for a wrong password; those must not count as a session timeout. */
  ignoreUnauthorized?: boolean;
}

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === undefined || item === null || item === '') continue;
      params.append(key, String(item));
    }
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const body = options.form ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  let response: Response;
  try {
    response = await fetch(withQuery(`/api${path}`, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body,
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'NETWORK', cause instanceof Error ? cause.message : 'Network error');
  }
  lastActivity = Date.now();
  if (response.ok) return response;
  const error = await toApiError(response);
  if (error.status === 401 && !options.ignoreUnauthorized) unauthorizedHandler?.(error);
  throw error;
}

async function toApiError(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as {
      error?: { code?: string; message?: string; details?: unknown };
    };
    if (body.error?.code) {
      return new ApiError(
        response.status,
        body.error.code as ErrorCode,
        body.error.message ?? body.error.code,
        body.error.details,
      );
    }
  } catch {
    // not JSON: fall through to a generic error
  }
  return new ApiError(
    response.status,
    response.status >= 500 ? 'INTERNAL' : 'VALIDATION',
    response.statusText,
  );
}

/** Calls the API and returns the parsed JSON body. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** Calls the API and returns the body as a file (for exports), with the server's file name when given. */
export async function apiBlob(
  path: string,
  options: RequestOptions = {},
): Promise<{ blob: Blob; name: string | null; headers: Headers }> {
  const response = await send(path, options);
  const disposition = response.headers.get('content-disposition') ?? '';
  const match = /filename\*=UTF-8''([^;]+)|filename="?([^";]+)"?/i.exec(disposition);
  const raw = match?.[1] ?? match?.[2] ?? null;
  return {
    blob: await response.blob(),
    name: raw ? decodeURIComponent(raw) : null,
    headers: response.headers,
  };
}
