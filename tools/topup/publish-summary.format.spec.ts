import { isProgressStep, MAX_LISTED_PROBLEMS, progressLine, publishSummary } from './publish-summary.format';

const progress = (done: number, total: number) => ({ total, done, published: done, invalid: 0, failed: 0 });

describe('topup:publish output', () => {
  it('prints a plain progress line at each tenth and at the end', () => {
    const steps = Array.from({ length: 1000 }, (_, i) => progress(i + 1, 1000)).filter(isProgressStep);
    expect(steps.map((p) => p.done)).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    expect(Array.from({ length: 3 }, (_, i) => progress(i + 1, 3)).filter(isProgressStep)).toHaveLength(3);
    expect(progressLine({ total: 10, done: 4, published: 3, invalid: 0, failed: 1 })).toBe(
      'published 3/10 (0 invalid, 1 failed)',
    );
  });

  it('summarises the counts, names problems by line, and caps the list', () => {
    const failed = Array.from({ length: 25 }, (_, i) => ({ index: i, messageId: `m-${i}`, reason: 'timeout: x' }));
    const text = publishSummary(
      { total: 30, published: 5, invalid: [], failed, messageIds: new Map() },
      (index) => `line ${index + 1}`,
    );
    expect(text.split('\n')[0]).toBe('5 of 30 commands published and confirmed (0 invalid, 25 not confirmed)');
    expect(text).toContain('  line 1: message id m-0: timeout: x');
    expect(text).toContain(`  ... and ${25 - MAX_LISTED_PROBLEMS} more`);
  });

  it('gives the message id of a single command', () => {
    const text = publishSummary(
      { total: 1, published: 1, invalid: [], failed: [], messageIds: new Map([[0, 'uuid-1']]) },
      () => 'external id order-42',
    );
    expect(text).toBe('1 of 1 commands published and confirmed\n  external id order-42: message id uuid-1');
  });
});
