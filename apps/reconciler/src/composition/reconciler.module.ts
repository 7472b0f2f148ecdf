// The reconciler's runtime: one effect ManagedRuntime over the resources of
// the container (the DataSource, the provider layer, the clock, the logger,
// the run's metrics), disposed when the container closes.
import { ContainerModule } from 'inversify';
import { makeReconcilerRuntime } from './runtime';
import { TOKENS } from './tokens';

export const reconcilerModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.runtime)
    .toDynamicValue(async (context) =>
      makeReconcilerRuntime({
        dataSource: await context.getAsync(TOKENS.dataSource),
        provider: context.get(TOKENS.providerLayer),
        clock: context.get(TOKENS.clock),
        logger: context.get(TOKENS.logger),
        metrics: context.get(TOKENS.metrics),
      }),
    )
    .inSingletonScope()
    .onDeactivation((runtime) => runtime.dispose());
});
