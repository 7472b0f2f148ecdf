import { MAX_ATTEMPTS, nextAttemptAt, RETRY_DELAYS_MINUTES, retryDelayMinutes } from './retry.policy';

const previous = new Date(Date.UTC(2025, 0, 1, 12, 0, 0));
const minutesAfter = (date: Date | undefined) =>
  date === undefined ? undefined : (date.getTime() - previous.getTime()) / 60_000;

describe('retry policy (engageSPARK schedule)', () => {
  it('retries 1, 2, 5, 30, 60 and 120 minutes after the previous attempt', () => {
    expect([1, 2, 3, 4, 5, 6].map((made) => minutesAfter(nextAttemptAt(previous, made)))).toEqual([
      1, 2, 5, 30, 60, 120,
    ]);
    expect(RETRY_DELAYS_MINUTES).toEqual([1, 2, 5, 30, 60, 120]);
  });

  it('allows at most 7 attempts', () => {
    expect(MAX_ATTEMPTS).toBe(7);
    expect(nextAttemptAt(previous, 7)).toBeUndefined();
    expect(nextAttemptAt(previous, 8)).toBeUndefined();
  });

  it('has no delay for a count that is not an attempt count', () => {
    expect(retryDelayMinutes(0)).toBeUndefined();
    expect(retryDelayMinutes(1.5)).toBeUndefined();
    expect(retryDelayMinutes(-1)).toBeUndefined();
  });

  it('does not change the date it is given', () => {
    const at = new Date(previous.getTime());
    nextAttemptAt(at, 1);
    expect(at).toEqual(previous);
  });
});
