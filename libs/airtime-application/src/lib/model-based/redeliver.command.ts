// The broker delivers a message again: a processed one is AlreadyProcessed
// (nothing done twice), a conflicting one conflicts again.
import type fc from 'fast-check';
import { requestTopUp } from '../request-top-up/request-top-up.use-case';
import { CONSUMER, requestInputOf, type WorkflowModel, type WorkflowReal } from './top-up-workflow.model';
import { checkWorkflowInvariants } from './workflow-invariants';

export class RedeliverCommand implements fc.AsyncCommand<WorkflowModel, WorkflowReal> {
  constructor(readonly pick: number) {}

  check = (model: Readonly<WorkflowModel>) => model.messages.size > 0;

  async run(model: WorkflowModel, real: WorkflowReal): Promise<void> {
    const messages = [...model.messages];
    const [messageId, message] = messages[this.pick % messages.length] ?? [];
    if (messageId === undefined || message === undefined) return;
    const before = real.world.database.tables();
    const result = await real.world.runEither(
      requestTopUp(requestInputOf(message.externalId, message.maxAmount), {
        inbox: { consumer: CONSUMER, messageId },
      }),
    );
    expect(result._tag === 'Right' ? result.right._tag : result.left._tag).toBe(
      message.claimed ? 'AlreadyProcessed' : 'ExternalIdConflict',
    );
    expect(real.world.database.tables().topUps).toBe(before.topUps);
    expect(real.world.database.tables().ledger).toBe(before.ledger);
    checkWorkflowInvariants(real);
  }

  toString = () => `redeliver(#${this.pick})`;
}
