// What the consumers on a queue answered to a burst of commands (testing/command-burst.fixture.ts), from their
// log lines (one per handling of a delivery) and the dead-letter queue, and the check that each group of the
// burst ended as it may, each dead-lettered delivery in the queue once with its reason code.
import { DEAD_LETTER_HEADERS } from '@airtime/messaging-rabbitmq';
import { type Burst, COMPARED_ONLY } from './command-burst.fixture';
import { type ConsumerHarness, waitUntil } from './consumer-harness.fixture';

/** What one handling of a delivery came to, from the handler's log line; undefined for other lines. */
export const outcomeOf = (line: Record<string, unknown>): string | undefined => {
  const code = String(line['code']);
  switch (line['msg']) {
    case 'top-up command handled':
      return String(line['outcome']);
    case 'top-up command dead-lettered':
      return `dead:${code}`;
    case 'top-up command will be retried':
      return `retry:${code}`;
    case 'top-up command acknowledged':
      return `ack:${code}`;
    case 'top-up command handler died; the message will be retried':
      return 'died';
    default:
      return undefined;
  }
};

/** Whether the outcome ends the message's handling here (a dead letter is counted in the queue). */
const isAcked = (outcome: string) =>
  !outcome.startsWith('dead:') && !outcome.startsWith('retry:') && outcome !== 'died';

export interface Answered {
  /** Per group, every outcome of its messages' deliveries, sorted. */
  readonly byGroup: ReadonlyMap<string, readonly string[]>;
  /** Per message id, every outcome of its deliveries, sorted. */
  readonly byMessage: ReadonlyMap<string, readonly string[]>;
  /** Per message id, the dead-letter reasons. */
  readonly deadLetters: ReadonlyMap<string, readonly string[]>;
}

/**
 * Publishes the burst at once and waits until every message is acked or dead-lettered; its outcomes, from the
 * log lines of every consumer on the queue (`logs`: the harness's own by default).
 */
export const answer = async (
  harness: ConsumerHarness,
  burst: Burst,
  logs: readonly (() => readonly Record<string, unknown>[])[] = [harness.logs],
): Promise<Answered> => {
  const deadLetterQueue = harness.topology.queues.deadLetters.name;
  const from = logs.map((lines) => lines().length);
  const outcomes = () =>
    logs.flatMap((lines, index) =>
      lines()
        .slice(from[index])
        .map((line) => ({ line, outcome: outcomeOf(line) })),
    );
  await harness.publish(burst.messages);
  await waitUntil(
    'every command of the burst acked or dead-lettered',
    async () => {
      const acked = outcomes().filter(({ outcome }) => outcome !== undefined && isAcked(outcome)).length;
      const { messageCount } = await harness.broker.channel.checkQueue(deadLetterQueue);
      return acked + messageCount >= burst.messages.length;
    },
    40_000,
  );
  const groupOf = new Map(burst.messages.map((message) => [message.messageId, message.group]));
  const byGroup = new Map<string, string[]>();
  const byMessage = new Map<string, string[]>();
  for (const { line, outcome } of outcomes()) {
    if (outcome === undefined) continue;
    const messageId = String(line['messageId']);
    const group = groupOf.get(messageId) ?? `unknown message ${messageId}`;
    byGroup.set(group, [...(byGroup.get(group) ?? []), outcome].sort());
    byMessage.set(messageId, [...(byMessage.get(messageId) ?? []), outcome].sort());
  }
  const deadLetters = new Map<string, string[]>();
  for (const letter of await harness.broker.drain(deadLetterQueue)) {
    const messageId = String(letter.properties.messageId);
    const reason = String(letter.properties.headers?.[DEAD_LETTER_HEADERS.reason] ?? '');
    deadLetters.set(messageId, [...(deadLetters.get(messageId) ?? []), reason]);
  }
  return { byGroup, byMessage, deadLetters };
};

/** Each group ended as its list allows; every dead-lettered delivery is in the queue once, with its code. */
export const expectAnswered = (burst: Burst, answered: Answered) => {
  const unexpected = [...burst.expected].flatMap(([group, allowed]) => {
    const got = answered.byGroup.get(group) ?? [];
    if (allowed === COMPARED_ONLY) return [];
    return allowed.some((outcomes) => JSON.stringify(outcomes) === JSON.stringify(got)) ? [] : [{ group, got }];
  });
  expect(unexpected).toEqual([]);
  expect([...answered.byGroup.keys()].filter((group) => !burst.expected.has(group))).toEqual([]);
  // each delivery dead-lettered by the handler is in the dead-letter queue once, with its code first in the reason
  for (const messageId of new Set(burst.messages.map((message) => message.messageId))) {
    const group = burst.messages.find((message) => message.messageId === messageId)?.group ?? '';
    if (burst.expected.get(group) === COMPARED_ONLY) continue;
    const codes = (answered.byMessage.get(messageId) ?? []).filter((outcome) => outcome.startsWith('dead:'));
    const reasons = answered.deadLetters.get(messageId) ?? [];
    expect({ messageId, reasons: reasons.map((reason) => reason.replace(/: .*$/s, '')).sort() }).toEqual({
      messageId,
      reasons: codes.map((code) => code.slice('dead:'.length)),
    });
  }
  const lettered = [...answered.deadLetters.values()].flat().length;
  const deadOutcomes = [...answered.byGroup.values()].flat().filter((outcome) => outcome.startsWith('dead:')).length;
  const givenUp = [...answered.deadLetters.values()].flat().filter((reason) => /given up after/.test(reason)).length;
  expect(lettered).toBe(deadOutcomes + givenUp);
};

/** The outcomes without the retries (a unit of work that lost a race to another consumer may be retried). */
export const withoutRetries = (answered: Answered): Answered => {
  const finals = (outcomes: ReadonlyMap<string, readonly string[]>) =>
    new Map([...outcomes].map(([key, all]) => [key, all.filter((outcome) => !outcome.startsWith('retry:'))]));
  return { ...answered, byGroup: finals(answered.byGroup), byMessage: finals(answered.byMessage) };
};
