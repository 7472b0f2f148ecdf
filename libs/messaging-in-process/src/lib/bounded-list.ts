// A list that keeps its last `capacity` items: the bus's dead letters and
// recorded events, so that a long run never grows without bound.

/** The last items added, oldest first, and how many older ones were dropped. */
export interface BoundedList<A> {
  readonly add: (item: A) => void;
  /** A copy of the kept items, oldest first. */
  readonly items: () => readonly A[];
  /** Items dropped to make room since the list was made. */
  readonly dropped: () => number;
}

/** A list of at most `capacity` items (at least 1); adding to a full list drops its oldest item. */
export const makeBoundedList = <A>(capacity: number): BoundedList<A> => {
  const limit = Math.max(1, Math.floor(capacity));
  let kept: A[] = [];
  let dropped = 0;
  return {
    add: (item) => {
      kept.push(item);
      if (kept.length > limit * 2) {
        dropped += kept.length - limit;
        kept = kept.slice(kept.length - limit);
      }
    },
    items: () => (kept.length > limit ? kept.slice(kept.length - limit) : [...kept]),
    dropped: () => dropped + Math.max(0, kept.length - limit),
  };
};
