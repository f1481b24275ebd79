/**
 * Every failure the AMC client raises. `retryable` false (401, other 4xx, AMC's own
 * `meta.errors`) means repeating the call cannot help (the sync runner ends the job without
 * retries). `retryable` true means the retries inside the client ran out on a
 * transient failure (429, 5xx, timeout, reset, malformed body), or a create stopped at once on
 * one that may have reached AMC (`outcomeUnknown`): the job may retry later.
 * Messages carry the method, the path and AMC's messages, never the token.
 */
export class AmcApiError extends Error {
  override readonly name = 'AmcApiError';

  constructor(
    message: string,
    readonly details: {
      /** HTTP status, or null when no response arrived (timeout, reset). */
      status: number | null;
      /** AMC's own messages from `meta.errors`. */
      amcErrors: string[];
      retryable: boolean;
      method: string;
      path: string;
      attempts: number;
      /**
       * A create (POST) that failed in a way that leaves unknown whether AMC wrote it (timeout,
       * reset or hang-up, cut-off or malformed body, any 5xx): it was sent once and not repeated.
       * Look the record up (e.g. `findOrdersByJoorId`) before creating it again.
       */
      outcomeUnknown?: boolean;
    },
  ) {
    super(message);
  }

  get status(): number | null {
    return this.details.status;
  }

  get amcErrors(): string[] {
    return this.details.amcErrors;
  }

  get retryable(): boolean {
    return this.details.retryable;
  }
}
