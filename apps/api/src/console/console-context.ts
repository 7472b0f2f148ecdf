// What every console page plugin is given: the API's runtime, the per-client
// limit on failed sign-ins, the POST /v1/topups flow (a resend is a top-up
// requested as the API requests one) and the session timings.
import type { PlatformLogger } from '@airtime/platform-runtime';
import type { AuthFailureLimit } from '../http/api-key-auth.plugin';
import type { ApiRuntime } from '../composition/runtime';
import type { SubmitTopUp } from '../topups/top-up-submission';

export interface ConsoleSessionSettings {
  /** A session unused this long ends (CONSOLE_IDLE_TIMEOUT_MS, ms). */
  readonly idleTimeoutMs: number;
  /** A session ends this long after sign-in (CONSOLE_SESSION_LIFETIME_MS, ms). */
  readonly lifetimeMs: number;
}

export interface ConsoleOptions {
  readonly runtime: ApiRuntime;
  readonly failures: AuthFailureLimit;
  readonly submitTopUp: SubmitTopUp;
  readonly sessions: ConsoleSessionSettings;
  /** Where a defect's cause is logged (the page says nothing of it). */
  readonly logger: PlatformLogger;
}
