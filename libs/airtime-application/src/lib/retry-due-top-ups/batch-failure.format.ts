// The code of a failure met by a batch (due retries, stalled top-ups), for its log line: never a value from outside.

/** The error's stable `code`, its `_tag` when it has none, else "UNKNOWN". */
export const failureCodeOf = (error: unknown): string =>
  typeof error === 'object' && error !== null
    ? 'code' in error && typeof error.code === 'string'
      ? error.code
      : '_tag' in error && typeof error._tag === 'string'
        ? error._tag
        : 'UNKNOWN'
    : 'UNKNOWN';
