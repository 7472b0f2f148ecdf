// Time passes, and the scheduler runs: due retries are sent (the provider
// completing them), stalled top-ups recovered (status queries first).
import type fc from 'fast-check';
import { recoverStalledTopUps } from '../recover-stalled-top-ups/recover-stalled-top-ups.use-case';
import { retryDueTopUps } from '../retry-due-top-ups/retry-due-top-ups.use-case';
import type { WorkflowModel, WorkflowReal } from './top-up-workflow.model';
import { checkWorkflowInvariants } from './workflow-invariants';

export class RetryTickCommand implements fc.AsyncCommand<WorkflowModel, WorkflowReal> {
  constructor(
    readonly minutes: number,
    readonly recover: boolean,
  ) {}

  check = () => true;

  async run(_model: WorkflowModel, real: WorkflowReal): Promise<void> {
    real.world.clock.advance(this.minutes * 60_000);
    real.world.provider.resetScripts();
    const retried = await real.world.runEither(retryDueTopUps({ limit: 10 }));
    expect(retried._tag).toBe('Right');
    if (this.recover) {
      const recovered = await real.world.runEither(recoverStalledTopUps({ olderThanMs: 5 * 60_000, limit: 10 }));
      expect(recovered._tag).toBe('Right');
    }
    checkWorkflowInvariants(real);
  }

  toString = () => `tick(${this.minutes} min${this.recover ? ', recover' : ''})`;
}
