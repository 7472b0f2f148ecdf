// Runs a use case (an effect program) through the API's runtime for a route:
// its value, or its failure thrown for the server's error handler to answer
// through the one error table; a defect (a bug, an interruption) is thrown
// as UseCaseDefect, answered 500 INTERNAL with no details and logged.
// Every run is counted per runtime until it settles, so that shutting down
// waits for the use cases in flight (`useCasesSettled`) before the runtime
// and the database go: closing the HTTP server only waits for connections,
// and a request whose client went away still runs its unit of work.
import { describeDefect, type PlatformLogger } from '@airtime/platform-runtime';
import { Cause, type Effect, Exit, type ManagedRuntime, Option } from 'effect';
import type { FastifyRequest } from 'fastify';
import type { ApiError } from './api-errors.table';

/** A use case died (a defect or an interruption): the server answers 500 INTERNAL and logs `cause`. */
export class UseCaseDefect extends Error {
  constructor(readonly defect: unknown) {
    super('a use case failed unexpectedly');
    this.name = 'UseCaseDefect';
  }
}

/**
 * Logs a request that failed with a defect (a UseCaseDefect's cause, or
 * anything else thrown): its route and method, the error's class and first
 * stack frames (`describeDefect`), never its message. The answer (500) says
 * nothing of it.
 */
export const logRequestDefect = (
  logger: Pick<PlatformLogger, 'error'>,
  request: FastifyRequest,
  error: unknown,
  message: string,
): void => {
  const cause = error instanceof UseCaseDefect ? error.defect : error;
  logger.error(
    {
      route: request.routeOptions.url,
      method: request.method,
      // its class and where it was thrown, never its message: it may quote the request's own text
      defect: describeDefect(cause),
    },
    message,
  );
};

/** The runs in flight of each runtime. */
const inFlight = new WeakMap<object, Set<Promise<unknown>>>();

/**
 * Resolves once every use case run through `runtime` (by runUseCase) has
 * settled, or after `timeoutMs`, with how many were still running (0: all
 * settled). Never rejects.
 */
export const useCasesSettled = async (runtime: object, timeoutMs: number): Promise<number> => {
  const running = inFlight.get(runtime);
  if (running === undefined || running.size === 0) return 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, Math.max(0, timeoutMs));
  });
  try {
    while (running.size > 0) {
      const settled = await Promise.race([
        Promise.allSettled([...running]).then(() => true),
        expired.then(() => false),
      ]);
      if (!settled) break;
    }
  } finally {
    clearTimeout(timer);
  }
  return running.size;
};

/**
 * Runs `program` through `runtime`: resolves with its value; rejects with its
 * failure (an ApiError, answered by the table) or with a UseCaseDefect.
 */
export const runUseCase = <A, E extends ApiError, R>(
  runtime: ManagedRuntime.ManagedRuntime<R, never>,
  program: Effect.Effect<A, E, R>,
): Promise<A> => runProgram(runtime, program);

/**
 * runUseCase for a transport with its own error table (the console): any
 * failure type, rejected with as is, for that transport's table to answer.
 */
export const runProgram = async <A, E, R>(
  runtime: ManagedRuntime.ManagedRuntime<R, never>,
  program: Effect.Effect<A, E, R>,
): Promise<A> => {
  const run = runtime.runPromiseExit(program);
  let running = inFlight.get(runtime);
  if (running === undefined) {
    running = new Set();
    inFlight.set(runtime, running);
  }
  running.add(run);
  let exit: Exit.Exit<A, E>;
  try {
    exit = await run;
  } finally {
    running.delete(run);
  }
  if (Exit.isSuccess(exit)) return exit.value;
  const failure = Cause.failureOption(exit.cause);
  if (Option.isSome(failure)) throw failure.value;
  throw new UseCaseDefect(Cause.squash(exit.cause));
};
