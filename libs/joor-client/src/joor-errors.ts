/**
 * A JOOR call that failed. `transient` says whether trying again later can help (429, 5xx,
 * timeouts, resets, malformed bodies) or not (4xx, invalid data, bad credentials). The message is
 * JOOR's own, never a secret.
 */
export class JoorApiError extends Error {
  override readonly name = 'JoorApiError';

  constructor(
    message: string,
    readonly details: {
      /** HTTP status, or null when no answer came (timeout, reset). */
      httpStatus: number | null;
      /** JOOR's status code from the error body (e.g. INVALID_REQUEST), when it gave one. */
      joorStatus?: string | null;
      transient: boolean;
      method: string;
      path: string;
      attempts: number;
      retryAfterMs?: number | null;
    },
  ) {
    super(message);
  }

  get transient(): boolean {
    return this.details.transient;
  }

  get httpStatus(): number | null {
    return this.details.httpStatus;
  }
}

/** The v4 token endpoint refused the credentials (permanent until someone fixes them). */
export class JoorAuthError extends JoorApiError {}

/** A 2xx whose body is not what JOOR sends (transient: a proxy or a half-written answer). */
export class JoorMalformedResponseError extends Error {
  override readonly name = 'JoorMalformedResponseError';
}
