import { test } from '@fast-check/jest';
import fc from 'fast-check';
import { makeBoundedList } from './bounded-list';

describe('bounded list', () => {
  test.prop([fc.integer({ min: 1, max: 20 }), fc.array(fc.integer(), { maxLength: 100 })])(
    'keeps the last items, oldest first, and counts the dropped ones',
    (capacity, added) => {
      const list = makeBoundedList<number>(capacity);
      for (const item of added) list.add(item);
      expect(list.items()).toEqual(added.slice(Math.max(0, added.length - capacity)));
      expect(list.dropped()).toBe(Math.max(0, added.length - capacity));
    },
  );
});
