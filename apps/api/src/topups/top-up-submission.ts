// The top-up submission as routes call it: the submit use case run through
// the API's runtime, counted in the top-up metrics, with the top-up's view.
import type { TopUpRequestRules } from '@airtime/application';
import type { TopUpIntake } from '@airtime/platform-runtime';
import type { ApiRuntime } from '../composition/runtime';
import { runUseCase } from '../http/run-use-case';
import type { ApiMetrics } from '../observability/api-metrics';
import type { TopUpView } from '../views/top-up-view.schema';
import { topUpView } from '../views/top-up-view.mapper';
import { type SubmittedTopUp, submitTopUp, type TopUpSubmission } from './submit-top-up.use-case';

/** Requests (or repeats) a top-up: its outcome, the top-up and its view; rejects with an error of the API's table. */
export type SubmitTopUp = (submission: TopUpSubmission) => Promise<SubmittedTopUp & { readonly view: TopUpView }>;

export interface SubmitTopUpDependencies {
  readonly runtime: ApiRuntime;
  readonly metrics: Pick<ApiMetrics, 'topUps' | 'enqueueFailures'>;
  readonly rules: TopUpRequestRules;
  /**
   * The requests of concurrent submissions written in batches (the
   * platform's `makeTopUpIntake` with the same rules); each in a unit of
   * work of its own when not given.
   */
  readonly intake?: TopUpIntake | undefined;
}

const isObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const makeSubmitTopUp =
  (dependencies: SubmitTopUpDependencies): SubmitTopUp =>
  async (submission) => {
    const { intake } = dependencies;
    const submitted = await runUseCase(
      dependencies.runtime,
      submitTopUp(submission, dependencies.rules, intake === undefined ? undefined : (input) => intake(input)),
    );
    dependencies.metrics.topUps.inc({ status: submitted.topUp.status.class, outcome: submitted.outcome });
    if (!submitted.enqueued && submitted.topUp.status.class === 'CREATED' && submitted.topUp.attempts.length === 0) {
      dependencies.metrics.enqueueFailures.inc();
    }
    const callbackUrl = submitted.input['callback_url'];
    const metadata = submitted.input['metadata'];
    const view = topUpView(submitted.topUp, {
      callbackUrl: typeof callbackUrl === 'string' ? callbackUrl : undefined,
      metadata: isObject(metadata) ? metadata : undefined,
    });
    return { ...submitted, view };
  };
