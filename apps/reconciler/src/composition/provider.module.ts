// The provider, chosen by PROVIDER (the platform runtime's providerLayerOf):
// bound as an effect layer that needs the TransferLog, unless the caller
// brings one of its own (tests: an engine they drive).
import { providerLayerOf, type ProviderLayer } from '@airtime/platform-runtime';
import { ContainerModule } from 'inversify';
import { TOKENS } from './tokens';

export interface ProviderModuleOptions {
  /** A provider layer of the caller's (tests); default: by configuration. */
  readonly provider?: ProviderLayer | undefined;
}

export const providerModule = (options: ProviderModuleOptions = {}): ContainerModule =>
  new ContainerModule(({ bind }) => {
    bind(TOKENS.providerLayer)
      .toDynamicValue(
        (context) =>
          options.provider ?? providerLayerOf(context.get(TOKENS.config).provider, context.get(TOKENS.logger)),
      )
      .inSingletonScope();
  });
