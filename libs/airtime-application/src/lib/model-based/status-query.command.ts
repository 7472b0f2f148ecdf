// A status query settles a top-up's last attempt from what the provider has.
import type fc from 'fast-check';
import { settleUnknownAttempt } from '../settle-unknown-attempt/settle-unknown-attempt.use-case';
import { topUpOfKey, type WorkflowModel, type WorkflowReal } from './top-up-workflow.model';
import { checkWorkflowInvariants } from './workflow-invariants';

export class StatusQueryCommand implements fc.AsyncCommand<WorkflowModel, WorkflowReal> {
  constructor(readonly externalId: string) {}

  check = (model: Readonly<WorkflowModel>) => model.requested.has(this.externalId);

  async run(_model: WorkflowModel, real: WorkflowReal): Promise<void> {
    const topUp = topUpOfKey(real, this.externalId);
    if (topUp === undefined) return;
    const result = await real.world.runEither(settleUnknownAttempt(topUp.id));
    expect(result._tag).toBe('Right');
    checkWorkflowInvariants(real);
  }

  toString = () => `statusQuery(${this.externalId})`;
}
