// The commands of the workflow's model-based test, over a few keys so that
// repeats, conflicts, redeliveries and races between sends, callbacks and
// status queries happen often.
import type { DetailedStatus } from '@airtime/domain';
import fc from 'fast-check';
import type { SendScript } from '../../testing';
import { CallbackCommand } from './callback.command';
import { RedeliverCommand } from './redeliver.command';
import { RequestCommand } from './request.command';
import { RetryTickCommand } from './retry-tick.command';
import { SendCommand } from './send.command';
import { StatusQueryCommand } from './status-query.command';
import { KEYS, MAX_AMOUNTS, type WorkflowModel, type WorkflowReal } from './top-up-workflow.model';

const arbitraryKey = fc.constantFrom(...KEYS);

const decline = (status: DetailedStatus): SendScript => ({ _tag: 'Decline', status });

/** Every way a send can come back. */
export const arbitrarySendScript: fc.Arbitrary<SendScript> = fc.constantFrom<SendScript>(
  { _tag: 'Complete' },
  { _tag: 'Pending', status: 'CONFIRMED' },
  { _tag: 'Pending', status: 'SUBMITTED' },
  decline('DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE'),
  decline('DECLINED-BARRED-CREDIT-PARTY'),
  { _tag: 'Reject', retryable: false },
  { _tag: 'Reject', retryable: true },
  { _tag: 'Unavailable' },
  { _tag: 'RateLimited', retryAfterMs: 30_000 },
  { _tag: 'RetryLater', afterMs: 5 * 60_000 },
  { _tag: 'TimeoutAfterArrival', status: 'COMPLETED' },
  { _tag: 'TimeoutAfterArrival', status: 'CONFIRMED' },
  { _tag: 'LostBeforeArrival' },
  { _tag: 'Mismatch' },
);

export const workflowCommands = (): fc.Arbitrary<fc.AsyncCommand<WorkflowModel, WorkflowReal>>[] => [
  fc.tuple(arbitraryKey, fc.constantFrom(...MAX_AMOUNTS)).map(([key, amount]) => new RequestCommand(key, amount)),
  fc.nat(20).map((pick) => new RedeliverCommand(pick)),
  fc.tuple(arbitraryKey, arbitrarySendScript).map(([key, script]) => new SendCommand(key, script)),
  fc
    .tuple(arbitraryKey, fc.nat(7), fc.nat(5))
    .map(([key, arrival, status]) => new CallbackCommand(key, arrival, status)),
  arbitraryKey.map((key) => new StatusQueryCommand(key)),
  fc
    .tuple(fc.constantFrom(1, 2, 5, 11, 31, 61, 121), fc.boolean())
    .map(([minutes, recover]) => new RetryTickCommand(minutes, recover)),
];
