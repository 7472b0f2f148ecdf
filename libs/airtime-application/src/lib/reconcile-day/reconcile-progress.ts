// How a reconciliation tells its caller how far it has come: a phase starts
// (with how many items it has, when known), items are done, the phase ends.

/** The phases of a run, in order. */
export const RECONCILE_PHASES = ['settle', 'match', 'balance', 'report'] as const;

export type ReconcilePhase = (typeof RECONCILE_PHASES)[number];

/** Plain callbacks (a progress bar, log lines); each is called between steps, never concurrently. */
export interface ReconcileProgress {
  /** A phase starts; `total` items when known (the match phase learns its total page by page: see `tick`). */
  readonly phase: (name: ReconcilePhase, total: number | undefined) => void;
  /** `n` more items of the current phase are done; `total` when it became known or changed. */
  readonly tick: (n: number, total?: number) => void;
  /** The current phase ended. */
  readonly done: () => void;
}

/** Progress that goes nowhere. */
export const silentProgress: ReconcileProgress = {
  phase: () => undefined,
  tick: () => undefined,
  done: () => undefined,
};
