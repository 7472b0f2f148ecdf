// The provider, chosen by PROVIDER (the platform runtime's providerLayerOf),
// unless the caller brings a layer of its own (tests and benchmarks: an
// engine they drive), and the sender of the callers' callbacks (used when
// the workers run in this process).
import type { CallbackSenderService } from '@airtime/application';
import { makeFetchCallbackSender, providerLayerOf, type ProviderLayer } from '@airtime/platform-runtime';
import { ContainerModule } from 'inversify';
import { TOKENS } from './tokens';

export interface ProviderModuleOptions {
  /** A provider layer of the caller's; default: by configuration. */
  readonly provider?: ProviderLayer | undefined;
  /** A callback sender of the caller's; default: the platform runtime's node:http(s) sender. */
  readonly callbackSender?: CallbackSenderService | undefined;
}

export const providerModule = (options: ProviderModuleOptions = {}): ContainerModule =>
  new ContainerModule(({ bind }) => {
    bind(TOKENS.providerLayer)
      .toDynamicValue(
        (context) =>
          options.provider ?? providerLayerOf(context.get(TOKENS.config).runtime.provider, context.get(TOKENS.logger)),
      )
      .inSingletonScope();
    bind(TOKENS.callbackSender)
      .toDynamicValue((context) => {
        const { runtime } = context.get(TOKENS.config);
        return (
          options.callbackSender ??
          makeFetchCallbackSender({
            timeoutMs: runtime.callbackTimeoutMs,
            allowPrivateHosts: runtime.allowPrivateCallbackHosts,
          })
        );
      })
      .inSingletonScope();
  });
