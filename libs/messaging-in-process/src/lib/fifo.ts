// A first-in first-out queue with O(1) push and shift (an array and a head
// index, compacted as the head moves on).

export interface Fifo<A> {
  readonly push: (item: A) => void;
  /** The oldest item, removed; undefined when empty. */
  readonly shift: () => A | undefined;
  readonly size: () => number;
  /** Removes and returns every item, oldest first. */
  readonly drain: () => A[];
}

export const makeFifo = <A>(): Fifo<A> => {
  let items: A[] = [];
  let head = 0;
  return {
    push: (item) => {
      items.push(item);
    },
    shift: () => {
      if (head >= items.length) return undefined;
      const item = items[head];
      head += 1;
      if (head >= 1024 && head * 2 >= items.length) {
        items = items.slice(head);
        head = 0;
      }
      return item;
    },
    size: () => items.length - head,
    drain: () => {
      const rest = items.slice(head);
      items = [];
      head = 0;
      return rest;
    },
  };
};
