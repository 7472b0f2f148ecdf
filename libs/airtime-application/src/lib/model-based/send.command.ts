// The consumer (or a scheduler) sends a top-up's next attempt, the provider
// answering as scripted; the domain decides whether an attempt starts.
import type fc from 'fast-check';
import type { SendScript } from '../../testing';
import { sendAttemptReporting } from '../send-attempt/send-attempt.use-case';
import { topUpOfKey, type WorkflowModel, type WorkflowReal } from './top-up-workflow.model';
import { checkWorkflowInvariants } from './workflow-invariants';

export class SendCommand implements fc.AsyncCommand<WorkflowModel, WorkflowReal> {
  constructor(
    readonly externalId: string,
    readonly answer: SendScript,
  ) {}

  check = (model: Readonly<WorkflowModel>) => model.requested.has(this.externalId);

  async run(_model: WorkflowModel, real: WorkflowReal): Promise<void> {
    const topUp = topUpOfKey(real, this.externalId);
    if (topUp === undefined) return;
    real.world.provider.resetScripts();
    real.world.provider.scriptSends(this.answer);
    const result = await real.world.runEither(sendAttemptReporting(topUp.id));
    real.world.provider.resetScripts();
    expect(result._tag).toBe('Right');
    checkWorkflowInvariants(real);
  }

  toString = () => `send(${this.externalId}, ${JSON.stringify(this.answer)})`;
}
