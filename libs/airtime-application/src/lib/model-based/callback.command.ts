// The provider moves a transaction it received on (or repeats its status) and
// calls back: applied, or a no-op for a duplicate or stale report.
import type { DetailedStatus } from '@airtime/domain';
import type fc from 'fast-check';
import { applyProviderUpdate } from '../apply-provider-update/apply-provider-update.use-case';
import { topUpOfKey, type WorkflowModel, type WorkflowReal } from './top-up-workflow.model';
import { checkWorkflowInvariants } from './workflow-invariants';

/** Where the provider may take a transaction of each class next (the same status again is a duplicate). */
const NEXT: Readonly<Record<string, readonly DetailedStatus[]>> = {
  CREATED: ['COMPLETED', 'DECLINED-BARRED-CREDIT-PARTY', 'CONFIRMED'],
  CONFIRMED: ['COMPLETED', 'DECLINED-BARRED-CREDIT-PARTY', 'SUBMITTED'],
  SUBMITTED: ['COMPLETED', 'DECLINED', 'SUBMITTED'],
  COMPLETED: ['REVERSED', 'COMPLETED', 'COMPLETED'],
};

export class CallbackCommand implements fc.AsyncCommand<WorkflowModel, WorkflowReal> {
  constructor(
    readonly externalId: string,
    readonly pickArrival: number,
    readonly pickStatus: number,
  ) {}

  check = (model: Readonly<WorkflowModel>) => model.requested.has(this.externalId);

  async run(_model: WorkflowModel, real: WorkflowReal): Promise<void> {
    const topUp = topUpOfKey(real, this.externalId);
    const ids = new Set<string>(topUp?.attempts.map((attempt) => attempt.providerExternalId) ?? []);
    const arrivals = real.world.provider.arrived().filter((arrival) => ids.has(arrival.request.providerExternalId));
    const arrival = arrivals[this.pickArrival % Math.max(arrivals.length, 1)];
    if (arrival === undefined) return;
    const current = arrival.transaction.status;
    const choices = NEXT[current.class] ?? [current.status];
    const status = choices[this.pickStatus % choices.length] ?? current.status;
    const update = real.world.provider.settle(arrival.request.providerExternalId, status);
    const result = await real.world.runEither(applyProviderUpdate(update));
    expect(result._tag).toBe('Right');
    checkWorkflowInvariants(real);
  }

  toString = () => `callback(${this.externalId}, arrival #${this.pickArrival}, choice #${this.pickStatus})`;
}
