import { test } from '@fast-check/jest';
import fc from 'fast-check';
import { makeFifo } from './fifo';

describe('fifo', () => {
  test.prop([fc.array(fc.oneof(fc.integer(), fc.constant<'shift'>('shift')), { maxLength: 3_000 })])(
    'behaves as an array used as a queue',
    (operations) => {
      const fifo = makeFifo<number>();
      const model: number[] = [];
      for (const operation of operations) {
        if (operation === 'shift') expect(fifo.shift()).toBe(model.shift());
        else {
          fifo.push(operation);
          model.push(operation);
        }
        expect(fifo.size()).toBe(model.length);
      }
      expect(fifo.drain()).toEqual(model);
      expect(fifo.size()).toBe(0);
    },
  );
});
