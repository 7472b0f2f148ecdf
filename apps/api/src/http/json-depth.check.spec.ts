import { fc, test } from '@fast-check/jest';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from './json-depth.check';

const nested = (depth: number, inner = '1'): string => `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;

/** The nesting depth of a parsed JSON value, iteratively. */
const depthOf = (value: unknown): number => {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (typeof current === 'object' && current !== null) {
      deepest = Math.max(deepest, depth + 1);
      for (const child of Object.values(current)) stack.push([child, depth + 1]);
    }
  }
  return deepest;
};

describe('the nesting depth of a JSON text', () => {
  it('takes 64 levels and refuses 65 or 10,000', () => {
    expect(exceedsJsonDepth(nested(MAX_JSON_DEPTH))).toBe(false);
    expect(exceedsJsonDepth(nested(MAX_JSON_DEPTH + 1))).toBe(true);
    expect(exceedsJsonDepth(`{"phone_number":${nested(10_000)}}`)).toBe(true);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(exceedsJsonDepth(JSON.stringify({ text: '['.repeat(1_000) }))).toBe(false);
    expect(exceedsJsonDepth(JSON.stringify({ text: `\\"${'{'.repeat(1_000)}` }))).toBe(false);
  });

  test.prop([fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 10 })])(
    'agrees with the depth of the parsed value',
    (value, maxDepth) => {
      expect(exceedsJsonDepth(JSON.stringify(value), maxDepth)).toBe(depthOf(value) > maxDepth);
    },
  );
});
