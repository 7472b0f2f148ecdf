// One way to declare an error: a tagged error (effect `Data.TaggedError`)
// with a stable machine-readable `code`, a message built from its fields, and
// whether trying the same thing again later may succeed. Transports map
// `_tag` (or `code`) to their answers; `isRetryable` reads `retryable`.
import { type Cause, Data } from 'effect';

/** Whether the failed operation may succeed when tried again later. */
export type Retryability = boolean | 'per-instance';

interface ErrorSpec<Code extends string, R extends Retryability> {
  readonly code: Code;
  /** `true`/`false` for the whole class; `'per-instance'` when a `retryable` field of the error says it. */
  readonly retryable: R;
}

type RetryableField<R extends Retryability> = R extends 'per-instance' ? unknown : { readonly retryable: R };

/**
 * Declares a tagged error class with a stable code:
 *
 * ```ts
 * export class InvalidAmount extends taggedError('InvalidAmount', { code: 'INVALID_AMOUNT', retryable: false })<{
 *   readonly reason: string;
 * }>((e) => `invalid amount: ${e.reason}`) {}
 * ```
 *
 * The fields type comes second so that the message function is typed by it.
 * For `retryable: 'per-instance'` the fields must include `retryable: boolean`.
 */
export const taggedError =
  <const Tag extends string, const Code extends string, const R extends Retryability>(
    tag: Tag,
    spec: ErrorSpec<Code, R>,
  ) =>
  <Fields extends object = NoFields>(
    describe: (fields: Readonly<Fields>) => string,
  ): TaggedErrorClass<Tag, Code, R, Fields> => {
    class TaggedDomainError extends Data.TaggedError(tag)<Record<string, unknown>> {
      readonly code: Code = spec.code;
      override get message(): string {
        return describe(this as unknown as Readonly<Fields>);
      }
    }
    if (spec.retryable !== 'per-instance') {
      Object.defineProperty(TaggedDomainError.prototype, 'retryable', { value: spec.retryable, enumerable: false });
    }
    return TaggedDomainError as unknown as TaggedErrorClass<Tag, Code, R, Fields>;
  };

type NoFields = Record<never, never>;

/** The class `taggedError` declares: constructed from its fields (nothing when it has none). */
export type TaggedErrorClass<
  Tag extends string,
  Code extends string,
  R extends Retryability,
  Fields extends object,
> = new (
  args: keyof Fields extends never ? void : Fields,
) => Cause.YieldableError & { readonly _tag: Tag; readonly code: Code } & Readonly<Fields> & RetryableField<R>;

/**
 * True when an error (any of ours, or anything else) says that the same
 * operation may succeed later: a `retryable: true` on the error. Errors
 * without the flag are not retryable.
 */
export const isRetryable = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && 'retryable' in error && error.retryable === true;
