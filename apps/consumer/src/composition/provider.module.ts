// The provider, chosen by PROVIDER: the DT One adapter over HTTP (pointed at
// the DVS simulator by default, or at DT One), or the simulator's engine
// in-process. Bound as an effect layer that needs the TransferLog: every
// HTTP exchange of an attempt (redacted by the adapter) is appended to it.
// An in-process engine lives in the layer's scope, closed with the runtime.
import { TransferLog } from '@airtime/application';
import { AirtimeProvider } from '@airtime/domain';
import { makeDtOneProvider } from '@airtime/provider-dtone';
import { simulatorProviderLayerFromOptions } from '@airtime/provider-simulator';
import { Effect, Layer } from 'effect';
import { ContainerModule } from 'inversify';
import type { ProviderSettings } from '../config/consumer.config';
import type { ConsumerLogger } from '../observability/logger';
import type { ProviderLayer } from './runtime';
import { TOKENS } from './tokens';

/** The provider layer of the settings. */
export const providerLayerOf = (settings: ProviderSettings, logger: ConsumerLogger): ProviderLayer => {
  if (settings.kind === 'simulator') {
    return simulatorProviderLayerFromOptions({ timeScale: settings.timeScale });
  }
  return Layer.effect(
    AirtimeProvider,
    Effect.map(TransferLog, (transferLog) =>
      makeDtOneProvider(settings.dvs, {
        onExchange: (record) =>
          transferLog
            .append(record)
            .pipe(
              Effect.catchAll((failure) =>
                Effect.sync(() =>
                  logger.warn({ reference: record.reference, reason: failure.reason }, 'transfer log append failed'),
                ),
              ),
            ),
        onInvalidItem: (what, reason) => logger.warn({ what, reason }, 'provider catalogue item left out'),
      }),
    ),
  );
};

export interface ProviderModuleOptions {
  /** A provider layer of the caller's (tests, benchmarks: an engine they drive); default: by configuration. */
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
