// A caller's request (a new message): Created for a new key, Repeated for the
// same payload, ExternalIdConflict for another one.
import type fc from 'fast-check';
import { requestTopUp } from '../request-top-up/request-top-up.use-case';
import { CONSUMER, requestInputOf, type WorkflowModel, type WorkflowReal } from './top-up-workflow.model';
import { checkWorkflowInvariants } from './workflow-invariants';

export class RequestCommand implements fc.AsyncCommand<WorkflowModel, WorkflowReal> {
  constructor(
    readonly externalId: string,
    readonly maxAmount: string,
  ) {}

  check = () => true;

  async run(model: WorkflowModel, real: WorkflowReal): Promise<void> {
    const messageId = `message-${model.nextMessage}`;
    model.nextMessage += 1;
    const first = model.requested.get(this.externalId);
    const expected = first === undefined ? 'Created' : first === this.maxAmount ? 'Repeated' : 'ExternalIdConflict';
    const result = await real.world.runEither(
      requestTopUp(requestInputOf(this.externalId, this.maxAmount), { inbox: { consumer: CONSUMER, messageId } }),
    );
    expect(result._tag === 'Right' ? result.right._tag : result.left._tag).toBe(expected);
    if (first === undefined) model.requested.set(this.externalId, this.maxAmount);
    model.messages.set(messageId, {
      externalId: this.externalId,
      maxAmount: this.maxAmount,
      claimed: expected !== 'ExternalIdConflict',
    });
    checkWorkflowInvariants(real);
  }

  toString = () => `request(${this.externalId}, ${this.maxAmount})`;
}
