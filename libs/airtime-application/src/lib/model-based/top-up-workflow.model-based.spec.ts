// The top-up workflow against a reference model (fc.asyncModelRun): requests,
// repeats, conflicts and redeliveries, sends answered every way a provider
// answers, callbacks, status queries and retry ticks, in any order. After each
// command: no double delivery, no resend without a status query, the ledger
// balanced and in step with every top-up, one event per change.
import fc from 'fast-check';
import { fundAccount, inMemoryLayers, sampleCatalogue } from '../../testing';
import { ACCOUNT_ID, emptyWorkflowModel, FUNDED_MINOR, type WorkflowReal } from './top-up-workflow.model';
import { workflowCommands } from './workflow-commands';

describe('the top-up workflow (model-based)', () => {
  it('keeps its promises whatever happens, in any order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(workflowCommands(), { maxCommands: 60, size: 'large' }), async (commands) => {
        const world = inMemoryLayers({ products: sampleCatalogue });
        await world.run(fundAccount(ACCOUNT_ID, 'USD', FUNDED_MINOR));
        const real: WorkflowReal = { world };
        await fc.asyncModelRun(() => ({ model: emptyWorkflowModel(), real }), commands);
        await world.runtime.dispose();
      }),
      { numRuns: 120 },
    );
  });
});
