// Deterministic identifiers for specs: `<prefix>-000001`, `<prefix>-000002`, ...
// and tokens `token-000001`, ... (never random, so runs repeat exactly).
import { IdGenerator, type IdGeneratorService } from '@airtime/domain';
import { Effect, Layer } from 'effect';

export interface SequentialIds extends IdGeneratorService {
  /** How many ids have been handed out. */
  readonly issued: () => number;
}

export const makeSequentialIds = (prefix = 'id'): SequentialIds => {
  let ids = 0;
  let tokens = 0;
  const pad = (count: number) => String(count).padStart(6, '0');
  return {
    next: () =>
      Effect.sync(() => {
        ids += 1;
        return `${prefix}-${pad(ids)}`;
      }),
    secretToken: () =>
      Effect.sync(() => {
        tokens += 1;
        return `token-${pad(tokens)}`;
      }),
    issued: () => ids,
  };
};

export const sequentialIdsLayer = (ids: SequentialIds): Layer.Layer<IdGenerator> => Layer.succeed(IdGenerator, ids);
