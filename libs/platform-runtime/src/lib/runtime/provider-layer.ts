// The provider, chosen by PROVIDER: the DT One adapter over HTTP (pointed at
// the DVS simulator by default, or at DT One), or the simulator's engine
// in-process. An effect layer that needs the TransferLog: every HTTP
// exchange of an attempt (redacted by the adapter) is appended to it. An
// in-process engine lives in the layer's scope, closed with the runtime.
import { TransferLog } from '@airtime/application';
import { AirtimeProvider } from '@airtime/domain';
import { makeDtOneProvider } from '@airtime/provider-dtone';
import { simulatorProviderLayerFromOptions } from '@airtime/provider-simulator';
import { Effect, Layer } from 'effect';
import type { ProviderSettings } from '../config/runtime.config';
import type { PlatformLogger } from '../observability/logger';

/** The provider as a layer: it may append its exchanges to the TransferLog. */
export type ProviderLayer = Layer.Layer<AirtimeProvider, never, TransferLog>;

/**
 * The provider layer of the settings. A transfer-log append that fails is
 * logged (warn) and the exchange goes on; a catalogue item the adapter
 * cannot read is left out and logged.
 */
export const providerLayerOf = (settings: ProviderSettings, logger: PlatformLogger): ProviderLayer => {
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
