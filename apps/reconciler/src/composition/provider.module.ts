// The provider, chosen by PROVIDER (the platform runtime's providerLayerOf:
// the DT One adapter, over HTTP to DT One or the DVS simulator), or Africa's
// Talking's or engageSPARK's own adapter when --provider names it: bound as
// an effect layer that may need the TransferLog, unless the caller brings
// one of its own (tests: an engine they drive).
import { type PlatformLogger, providerLayerOf, type ProviderLayer } from '@airtime/platform-runtime';
import { africasTalkingProviderLayer } from '@airtime/provider-africastalking';
import { engageSparkProviderLayer } from '@airtime/provider-engagespark';
import { ContainerModule } from 'inversify';
import type { ReconcilerProviderSettings } from '../config/reconciler.config';
import { TOKENS } from './tokens';

/**
 * The layer of the provider reconciled. Africa's Talking and engageSPARK
 * call out for none of what a run asks (no status query, no list, no
 * balance: each answers "unsupported" at once), so they need nothing.
 */
export const reconcilerProviderLayerOf = (
  provider: ReconcilerProviderSettings,
  logger: PlatformLogger,
): ProviderLayer => {
  switch (provider.kind) {
    case 'africastalking':
      return africasTalkingProviderLayer(provider.config);
    case 'engagespark':
      return engageSparkProviderLayer(provider.config);
    default:
      return providerLayerOf(provider, logger);
  }
};

export interface ProviderModuleOptions {
  /** A provider layer of the caller's (tests); default: by configuration. */
  readonly provider?: ProviderLayer | undefined;
}

export const providerModule = (options: ProviderModuleOptions = {}): ContainerModule =>
  new ContainerModule(({ bind }) => {
    bind(TOKENS.providerLayer)
      .toDynamicValue(
        (context) =>
          options.provider ??
          reconcilerProviderLayerOf(context.get(TOKENS.config).provider, context.get(TOKENS.logger)),
      )
      .inSingletonScope();
  });
