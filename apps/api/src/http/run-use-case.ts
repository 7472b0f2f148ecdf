// Runs a use case (an effect program) through the API's runtime for a route:
// its value, or its failure thrown for the server's error handler to answer
// through the one error table; a defect (a bug, an interruption) is thrown
// as UseCaseDefect, answered 500 INTERNAL with no details and logged.
import { Cause, type Effect, Exit, type ManagedRuntime, Option } from 'effect';
import type { ApiError } from './api-errors.table';

/** A use case died (a defect or an interruption): the server answers 500 INTERNAL and logs `cause`. */
export class UseCaseDefect extends Error {
  constructor(readonly defect: unknown) {
    super('a use case failed unexpectedly');
    this.name = 'UseCaseDefect';
  }
}

/**
 * Runs `program` through `runtime`: resolves with its value; rejects with its
 * failure (an ApiError, answered by the table) or with a UseCaseDefect.
 */
export const runUseCase = async <A, E extends ApiError, R>(
  runtime: ManagedRuntime.ManagedRuntime<R, never>,
  program: Effect.Effect<A, E, R>,
): Promise<A> => {
  const exit = await runtime.runPromiseExit(program);
  if (Exit.isSuccess(exit)) return exit.value;
  const failure = Cause.failureOption(exit.cause);
  if (Option.isSome(failure)) throw failure.value;
  throw new UseCaseDefect(Cause.squash(exit.cause));
};
