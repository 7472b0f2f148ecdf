import { Effect, Either } from 'effect';
import { isRetryable, taggedError } from './tagged-error';

class Refused extends taggedError('Refused', { code: 'REFUSED', retryable: false })<{
  readonly reason: string;
}>((e) => `refused: ${e.reason}`) {}

class Busy extends taggedError('Busy', { code: 'BUSY', retryable: true })<{ readonly service: string }>(
  (e) => `${e.service} is busy`,
) {}

class Rejected extends taggedError('Rejected', { code: 'REJECTED', retryable: 'per-instance' })<{
  readonly retryable: boolean;
}>((e) => (e.retryable ? 'rejected for now' : 'rejected')) {}

class Empty extends taggedError('Empty', { code: 'EMPTY', retryable: false })(() => 'nothing here') {}

describe('taggedError', () => {
  it('builds an error with no fields from nothing, and yields it in Effect.gen', () => {
    const program = Effect.gen(function* () {
      return yield* new Empty();
    });
    const result = Effect.runSync(Effect.either(program));
    expect(Either.isLeft(result) && result.left.message).toBe('nothing here');
  });

  it('gives a tag, a stable code, a message from the fields and the fields themselves', () => {
    const error = new Refused({ reason: 'no money' });
    expect(error._tag).toBe('Refused');
    expect(error.code).toBe('REFUSED');
    expect(error.message).toBe('refused: no money');
    expect(error.reason).toBe('no money');
    expect(error).toBeInstanceOf(Refused);
    expect(error).toBeInstanceOf(Error);
  });

  it('is a failure value in effect programs', () => {
    const result = Effect.runSync(Effect.either(new Busy({ service: 'dvs' })));
    expect(Either.isLeft(result) && result.left._tag).toBe('Busy');
  });

  it('equal fields make equal errors (structural equality of Data)', () => {
    expect(new Refused({ reason: 'x' })).toEqual(new Refused({ reason: 'x' }));
  });

  it('carries retryability per class or per instance, read by isRetryable', () => {
    expect(isRetryable(new Busy({ service: 'dvs' }))).toBe(true);
    expect(isRetryable(new Refused({ reason: 'x' }))).toBe(false);
    expect(isRetryable(new Rejected({ retryable: true }))).toBe(true);
    expect(isRetryable(new Rejected({ retryable: false }))).toBe(false);
    expect(new Busy({ service: 'dvs' }).retryable).toBe(true);
  });

  it('treats anything without a retryable flag as not retryable', () => {
    for (const value of [undefined, null, 'retryable', 42, new Error('x'), { retryable: 'yes' }]) {
      expect(isRetryable(value)).toBe(false);
    }
  });
});
