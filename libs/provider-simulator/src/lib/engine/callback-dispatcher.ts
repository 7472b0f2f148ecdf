// Delivers status callbacks: each one is POSTed to the transaction's
// callback URL and retried with exponential backoff (in simulated time)
// until the receiver answers 2xx or `maxAttempts` is reached. Every
// attempt is recorded.
import type { DetailedStatus } from '@airtime/domain';
import type { SimulationScheduler } from './simulation-scheduler';

/** POSTs `body` (JSON) to `url`; resolves with the HTTP status, rejects when no answer came. */
export type CallbackSender = (url: string, body: string) => Promise<{ readonly status: number }>;

export interface CallbackRetryPolicy {
  readonly maxAttempts: number;
  /** Simulated ms before the second attempt; each later one waits `backoffFactor` times longer. */
  readonly initialDelayMs: number;
  readonly backoffFactor: number;
}

export const DEFAULT_CALLBACK_RETRY: CallbackRetryPolicy = { maxAttempts: 5, initialDelayMs: 1_000, backoffFactor: 2 };

export type CallbackOutcome = 'DELIVERED' | 'FAILED' | 'DROPPED';

export interface CallbackAttempt {
  readonly transactionId: number;
  readonly status: DetailedStatus;
  readonly url: string;
  /** 1 for the first try. */
  readonly attempt: number;
  readonly outcome: CallbackOutcome;
  readonly httpStatus?: number | undefined;
  readonly error?: string | undefined;
  /** Simulated ms (scheduler time) of the attempt. */
  readonly atMs: number;
}

export interface CallbackDelivery {
  readonly transactionId: number;
  readonly status: DetailedStatus;
  readonly url: string;
  readonly body: string;
}

/** The delay before attempt `attempt` (2, 3, ...). */
export const retryDelayMs = (policy: CallbackRetryPolicy, attempt: number): number =>
  policy.initialDelayMs * policy.backoffFactor ** Math.max(0, attempt - 2);

export class CallbackDispatcher {
  private attempts: CallbackAttempt[] = [];

  constructor(
    private readonly scheduler: SimulationScheduler,
    private readonly sender: CallbackSender,
    private readonly policy: CallbackRetryPolicy,
    private readonly dropping: () => boolean,
  ) {}

  dispatch(delivery: CallbackDelivery): void {
    this.scheduler.schedule(
      0,
      () => this.attempt(delivery, 1),
      `callback ${delivery.transactionId} ${delivery.status}`,
    );
  }

  log(): readonly CallbackAttempt[] {
    return [...this.attempts];
  }

  clear(): void {
    this.attempts = [];
  }

  private attempt(delivery: CallbackDelivery, attempt: number): void {
    const base = {
      transactionId: delivery.transactionId,
      status: delivery.status,
      url: delivery.url,
      attempt,
      atMs: this.scheduler.now(),
    };
    if (this.dropping()) {
      this.attempts.push({ ...base, outcome: 'DROPPED' });
      return;
    }
    const retry = () => {
      if (attempt < this.policy.maxAttempts) {
        this.scheduler.schedule(
          retryDelayMs(this.policy, attempt + 1),
          () => this.attempt(delivery, attempt + 1),
          `callback retry ${delivery.transactionId}`,
        );
      }
    };
    this.scheduler.track(
      this.sender(delivery.url, delivery.body).then(
        ({ status }) => {
          const delivered = status >= 200 && status < 300;
          this.attempts.push({ ...base, outcome: delivered ? 'DELIVERED' : 'FAILED', httpStatus: status });
          if (!delivered) retry();
        },
        (error: unknown) => {
          this.attempts.push({
            ...base,
            outcome: 'FAILED',
            error: error instanceof Error ? error.message : String(error),
          });
          retry();
        },
      ),
    );
  }
}
