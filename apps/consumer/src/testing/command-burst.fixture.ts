// Hostile bursts of top-up commands for the batched intake's spec. The first
// mixes valid requests with twins (same key, same or other payload), the same
// message twice, a message id reused for another body, malformed and invalid
// bodies, amounts no product meets, an account with no ledger account,
// over-spends on a barely funded account, a callback URL for an account with
// no callback signing secret, NUL characters and lone surrogates
// (in ids, metadata, a callback URL and the message id itself) and callback
// URLs at their length limit. The second repeats, conflicts with and re-sends
// requests of the first among new ones. Each message belongs to a group, with
// the outcomes the group may end with (sorted; several when they depend on
// which of its messages the consumer handles first).

/** The account funded richly by the harness. */
export const RICH = 'acme';
/** An account funded for a few top-ups only. */
export const POOR = 'poor';
/** An account with no ledger account. */
export const GHOST = 'ghost';

/** What the poor account is funded with (USD minor units): two top-ups of PHP 30 (USD 0.55 each), not three. */
export const POOR_FUNDED_MINOR = 150n;
/** An account funded for five top-ups of PHP 30, asked for twelve in the third burst. */
export const FRUGAL = 'frugal';
export const FRUGAL_FUNDED_MINOR = 300n;

/** A group whose outcomes are compared between the two consumers, not with a list (see `nul-message-id`). */
export const COMPARED_ONLY = 'compared-only';

export interface BurstMessage {
  readonly group: string;
  readonly messageId: string;
  readonly body: string | Buffer;
}

export interface Burst {
  /** In publish order: groups interleaved, each group's messages in their own order. */
  readonly messages: readonly BurstMessage[];
  /** Per group, the sorted outcomes it may end with (`accepted`, `rejected`, `duplicate`, `dead:<CODE>`, ...). */
  readonly expected: ReadonlyMap<string, readonly (readonly string[])[] | typeof COMPARED_ONLY>;
}

/** A Philippine Globe number the simulator completes (no sandbox suffix). */
export const globeNumber = (index: number) => `+63917${String(index).padStart(4, '0')}999`;

export const commandBody = (fields: Record<string, unknown>): string =>
  JSON.stringify({ version: 1, account_id: RICH, currency: 'PHP', max_amount: '30', ...fields });

/** A callback URL of exactly `length` characters, to a port nothing listens on (private hosts allowed). */
export const callbackUrlOf = (length: number): string => {
  const base = 'http://127.0.0.1:9/hook/';
  return `${base}${'a'.repeat(length - base.length)}`;
};

const ACCEPTED = [['accepted']] as const;
const dead = (code: string, times = 1) => [Array.from({ length: times }, () => `dead:${code}`)];

/** Spreads the groups over the burst (a fixed permutation), keeping each group's messages in their order. */
const interleave = (messages: readonly BurstMessage[]): BurstMessage[] => {
  const slots = messages
    .map((_, index) => ({ index, key: (index * 7_919) % 1_009 }))
    .sort((a, b) => a.key - b.key)
    .map(({ index }) => index);
  const byGroup = new Map<string, BurstMessage[]>();
  for (const message of messages) byGroup.set(message.group, [...(byGroup.get(message.group) ?? []), message]);
  const taken = new Map<string, number>();
  return slots.map((slot) => {
    const group = (messages[slot] as BurstMessage).group;
    const next = taken.get(group) ?? 0;
    taken.set(group, next + 1);
    return (byGroup.get(group) as BurstMessage[])[next] as BurstMessage;
  });
};

const builder = (tag: string) => {
  const messages: BurstMessage[] = [];
  const expected = new Map<string, readonly (readonly string[])[] | typeof COMPARED_ONLY>();
  return {
    add: (group: string, messageId: string, body: string | Buffer) =>
      messages.push({ group, messageId: `${tag}:${messageId}`, body }),
    /** A message under the id it had in an earlier burst. */
    resend: (group: string, message: BurstMessage) => messages.push({ ...message, group }),
    expect: (group: string, outcomes: readonly (readonly string[])[] | typeof COMPARED_ONLY) =>
      expected.set(group, outcomes),
    ext: (name: string) => `${tag}-${name}`,
    /** The burst; the messages of `together` (one group) as one block at `at`, the others interleaved; or as built. */
    done: (together?: { readonly group: string; readonly at: number } | 'as built'): Burst => {
      if (together === undefined) return { messages: interleave(messages), expected };
      if (together === 'as built') return { messages, expected };
      const spread = interleave(messages.filter((message) => message.group !== together.group));
      const block = messages.filter((message) => message.group === together.group);
      return { messages: [...spread.slice(0, together.at), ...block, ...spread.slice(together.at)], expected };
    },
  };
};

/** The first burst: 140 commands. */
export const firstBurst = (): Burst => {
  const { add, expect, ext, done } = builder('b1');
  for (let index = 0; index < 40; index++) {
    add(
      `new-${index}`,
      `new-${index}`,
      commandBody({ external_id: ext(`n${index}`), phone_number: globeNumber(index) }),
    );
    expect(`new-${index}`, ACCEPTED);
  }
  for (let index = 0; index < 4; index++) {
    // the same request under two message ids: one top-up; the second is its repeat (sent by whichever starts it first)
    const body = commandBody({ external_id: ext(`ts${index}`), phone_number: globeNumber(100 + index) });
    add(`twin-same-${index}`, `ts-${index}-a`, body);
    add(`twin-same-${index}`, `ts-${index}-b`, body);
    expect(`twin-same-${index}`, [
      ['accepted', 'duplicate'],
      ['accepted', 'accepted'],
    ]);
    // one key, two payloads: one top-up, the other a conflict
    const fields = { external_id: ext(`td${index}`), phone_number: globeNumber(200 + index) };
    add(`twin-diff-${index}`, `td-${index}-a`, commandBody(fields));
    add(`twin-diff-${index}`, `td-${index}-b`, commandBody({ ...fields, max_amount: '25' }));
    expect(`twin-diff-${index}`, [['accepted', 'dead:EXTERNAL_ID_CONFLICT']]);
    // the very same message twice (same id, same bytes)
    const again = commandBody({ external_id: ext(`sm${index}`), phone_number: globeNumber(300 + index) });
    add(`same-message-${index}`, `sm-${index}`, again);
    add(`same-message-${index}`, `sm-${index}`, again);
    expect(`same-message-${index}`, [['accepted', 'duplicate']]);
  }
  for (let index = 0; index < 3; index++) {
    // a message id reused for another command: two messages
    add(
      `reused-id-${index}`,
      `ru-${index}`,
      commandBody({ external_id: ext(`ru${index}a`), phone_number: globeNumber(400 + index) }),
    );
    add(
      `reused-id-${index}`,
      `ru-${index}`,
      commandBody({ external_id: ext(`ru${index}b`), phone_number: globeNumber(410 + index) }),
    );
    expect(`reused-id-${index}`, [['accepted', 'accepted']]);
  }
  // a key first refused by the quote, then asked for properly: the refusal reserves nothing (a conflict when the
  // second was written first)
  add(
    'refused-then-new',
    'rn-a',
    commandBody({ external_id: ext('rn'), phone_number: globeNumber(500), max_amount: '1' }),
  );
  add('refused-then-new', 'rn-b', commandBody({ external_id: ext('rn'), phone_number: globeNumber(500) }));
  expect('refused-then-new', [
    ['accepted', 'dead:NO_MATCHING_PRODUCT'],
    ['accepted', 'dead:EXTERNAL_ID_CONFLICT'],
  ]);
  const malformed: readonly (string | Buffer)[] = [
    '{"version":1,',
    'not json',
    '[1,2,3]',
    '{"version":1}',
    '{"version":2,"external_id":"x"}',
    Buffer.from([0x7b, 0xff, 0xfe, 0x7d]),
    commandBody({ external_id: ext('extra'), phone_number: globeNumber(600), colour: 'blue' }),
    commandBody({ external_id: ext('amount-text'), phone_number: globeNumber(601), max_amount: 'lots' }),
    commandBody({ external_id: ext('amount-digits'), phone_number: globeNumber(602), max_amount: '9'.repeat(16) }),
  ];
  malformed.forEach((body, index) => {
    add(`malformed-${index}`, `mf-${index}`, body);
    expect(`malformed-${index}`, dead('MALFORMED_COMMAND'));
  });
  // the same malformed message twice: dead-lettered twice
  add('malformed-twice', 'mf-twice', 'nope');
  add('malformed-twice', 'mf-twice', 'nope');
  expect('malformed-twice', dead('MALFORMED_COMMAND', 2));
  ['+63123', '12', '+6391700000000000000', '+999123456789'].forEach((phone, index) => {
    add(`bad-phone-${index}`, `bp-${index}`, commandBody({ external_id: ext(`bp${index}`), phone_number: phone }));
    expect(`bad-phone-${index}`, dead('INVALID_TOP_UP_REQUEST'));
  });
  const amounts: readonly (readonly [Record<string, unknown>, readonly (readonly string[])[]])[] = [
    [{ max_amount: '999999999999999' }, ACCEPTED], // the largest product (a data bundle)
    [{ max_amount: '999999999999999.99' }, ACCEPTED],
    [{ max_amount: '999999999999999.999999999999' }, dead('INVALID_TOP_UP_REQUEST')],
    [{ max_amount: 1e300 }, dead('INVALID_TOP_UP_REQUEST')],
    [{ max_amount: '999999999999999', desired_amount: '999999999999999' }, ACCEPTED],
    [{ max_amount: '30', desired_amount: '999999999999999' }, ACCEPTED],
    [{ currency: 'USD', max_amount: '999999999999999' }, ACCEPTED],
    [{ max_amount: '999999999999999', exact_amount: true }, dead('EXACT_AMOUNT_UNAVAILABLE')],
    // a zero amount is refused naming its field, as any bad amount
    [{ max_amount: '0' }, dead('INVALID_TOP_UP_REQUEST')],
    [{ max_amount: '30', desired_amount: '0' }, dead('INVALID_TOP_UP_REQUEST')],
  ];
  amounts.forEach(([fields, outcomes], index) => {
    add(
      `amount-${index}`,
      `am-${index}`,
      commandBody({ external_id: ext(`am${index}`), phone_number: globeNumber(700 + index), ...fields }),
    );
    expect(`amount-${index}`, outcomes);
  });
  for (let index = 0; index < 3; index++) {
    add(
      `ghost-${index}`,
      `gh-${index}`,
      commandBody({ account_id: GHOST, external_id: ext(`gh${index}`), phone_number: globeNumber(800 + index) }),
    );
    expect(`ghost-${index}`, dead('ACCOUNT_NOT_FOUND'));
  }
  add(
    'ghost-0',
    'gh-0-twin',
    commandBody({ account_id: GHOST, external_id: ext('gh0'), phone_number: globeNumber(800) }),
  );
  expect('ghost-0', dead('ACCOUNT_NOT_FOUND', 2));
  for (let index = 0; index < 8; index++)
    add(
      'poor',
      `pr-${index}`,
      commandBody({ account_id: POOR, external_id: ext(`pr${index}`), phone_number: globeNumber(900 + index) }),
    );
  expect('poor', [['accepted', 'accepted', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected']]);
  // a callback URL for an account with no callback signing secret (the harness gives one to RICH only): refused
  // before anything is held, so the poor account's funds are untouched by it
  add(
    'unsigned',
    'un-0',
    commandBody({
      account_id: POOR,
      external_id: ext('un0'),
      phone_number: globeNumber(950),
      callback_url: callbackUrlOf(40),
    }),
  );
  expect('unsigned', dead('CALLBACK_SECRET_MISSING'));
  const hostile: readonly (readonly [Record<string, unknown>, string])[] = [
    [{ external_id: ext('nul\u0000id') }, 'INVALID_TOP_UP_REQUEST'],
    [{ external_id: ext('lone\ud800') }, 'INVALID_TOP_UP_REQUEST'],
    [{ external_id: `${ext('low')}\udc00` }, 'INVALID_TOP_UP_REQUEST'],
    [{ account_id: 'ac\u0000me' }, 'INVALID_TOP_UP_REQUEST'],
    [{ account_id: 'ac\ud83dme' }, 'INVALID_TOP_UP_REQUEST'],
    [{ metadata: { note: 'a\u0000b' } }, 'MALFORMED_COMMAND'],
    [{ metadata: { 'k\u0000': 1 } }, 'MALFORMED_COMMAND'],
    [{ metadata: { note: 'x\ud800' } }, 'MALFORMED_COMMAND'],
    [{ metadata: { '\udfff': 'y' } }, 'MALFORMED_COMMAND'],
    [{ metadata: { nested: [{ deep: '\u0000' }] } }, 'MALFORMED_COMMAND'],
    [{ callback_url: `${callbackUrlOf(40)}\u0000` }, 'MALFORMED_COMMAND'],
    [{ product_id: 'p\u0000' }, 'PRODUCT_NOT_FOUND'],
    [{ product_id: 'p\ud800' }, 'PRODUCT_NOT_FOUND'],
  ];
  hostile.forEach(([fields, code], index) => {
    add(
      `hostile-${index}`,
      `ho-${index}`,
      commandBody({ external_id: ext(`ho${index}`), phone_number: globeNumber(1000 + index), ...fields }),
    );
    expect(`hostile-${index}`, dead(code));
  });
  // lone surrogates where they are allowed: metadata with a surrogate pair, and one in the callback URL's path
  // (percent-encoded as U+FFFD by the URL parser)
  add(
    'pair-in-metadata',
    'pm',
    commandBody({ external_id: ext('pm'), phone_number: globeNumber(1050), metadata: { emoji: '\ud83d\ude00' } }),
  );
  expect('pair-in-metadata', ACCEPTED);
  add(
    'surrogate-in-url',
    'su',
    commandBody({
      external_id: ext('su'),
      phone_number: globeNumber(1051),
      callback_url: `${callbackUrlOf(40)}\ud800`,
    }),
  );
  expect('surrogate-in-url', ACCEPTED);
  // the message id itself holds a NUL (the inbox key is `<message id>:<sha256 of the body>`)
  add('nul-message-id', 'nul\u0000msg', commandBody({ external_id: ext('nulmsg'), phone_number: globeNumber(1100) }));
  expect('nul-message-id', COMPARED_ONLY);
  add(
    'callback-at-limit',
    'cb-2048',
    commandBody({ external_id: ext('cb2048'), phone_number: globeNumber(1200), callback_url: callbackUrlOf(2048) }),
  );
  expect('callback-at-limit', ACCEPTED);
  add(
    'callback-over-limit',
    'cb-2049',
    commandBody({ external_id: ext('cb2049'), phone_number: globeNumber(1201), callback_url: callbackUrlOf(2049) }),
  );
  expect('callback-over-limit', dead('INVALID_TOP_UP_REQUEST'));
  add(
    'callback-encoded-over-limit',
    'cb-enc',
    commandBody({
      external_id: ext('cbenc'),
      phone_number: globeNumber(1202),
      callback_url: `${callbackUrlOf(2040)}${'\u00e9'.repeat(8)}`,
    }),
  );
  expect('callback-encoded-over-limit', dead('INVALID_TOP_UP_REQUEST'));
  return done();
};

/** The second burst: requests of the first again (repeats, conflicts, the same messages) among new ones. */
export const secondBurst = (first: Burst): Burst => {
  const { add, resend, expect, ext, done } = builder('b2');
  const bodyOf = (messageId: string) => {
    const found = first.messages.find((message) => message.messageId === messageId);
    if (found === undefined) throw new Error(`no message ${messageId} in the first burst`);
    return found.body;
  };
  for (let index = 0; index < 30; index++) {
    add(
      `new-${index}`,
      `new-${index}`,
      commandBody({ external_id: ext(`n${index}`), phone_number: globeNumber(2000 + index) }),
    );
    expect(`new-${index}`, ACCEPTED);
  }
  for (let index = 0; index < 4; index++) {
    // the first burst's message again, as it was (a redelivery): already processed
    resend(`again-same-message-${index}`, { group: '', messageId: `b1:new-${index}`, body: bodyOf(`b1:new-${index}`) });
    expect(`again-same-message-${index}`, [['duplicate']]);
    // its request under a new message id: a repeat of a top-up already sent
    add(`again-new-id-${index}`, `again-${index}`, bodyOf(`b1:new-${4 + index}`));
    expect(`again-new-id-${index}`, [['duplicate']]);
  }
  // a stored key: twice more as it was, and once with another payload, in one burst
  const stored = { external_id: 'b1-n8', phone_number: globeNumber(8) };
  add('stored-key', 'sk-a', commandBody(stored));
  add('stored-key', 'sk-b', commandBody({ ...stored, max_amount: '25' }));
  add('stored-key', 'sk-c', commandBody(stored));
  expect('stored-key', [['dead:EXTERNAL_ID_CONFLICT', 'duplicate', 'duplicate']]);
  // a request refused for funds, again: its top-up (REJECTED, or held) answers; nothing sent again
  for (let index = 0; index < 8; index++) {
    add('poor-again', `pa-${index}`, bodyOf(`b1:pr-${index}`));
  }
  expect('poor-again', [Array.from({ length: 8 }, () => 'duplicate')]);
  // still nothing to hold for: refused at once
  add('poor-new', 'pn', commandBody({ account_id: POOR, external_id: ext('pn'), phone_number: globeNumber(2100) }));
  expect('poor-new', [['rejected']]);
  add('ghost-again', 'gh-again', bodyOf('b1:gh-1'));
  expect('ghost-again', dead('ACCOUNT_NOT_FOUND'));
  // the key the quote refused first, asked for with its first payload again: a conflict with the one written
  add('refused-again', 'rn-again', bodyOf('b1:rn-a'));
  expect('refused-again', dead('EXTERNAL_ID_CONFLICT'));
  add('twin-diff-again', 'td-again', bodyOf('b1:td-0-b'));
  expect('twin-diff-again', [['dead:EXTERNAL_ID_CONFLICT'], ['duplicate']]);
  add('malformed-again', 'mf-again', bodyOf('b1:mf-0'));
  expect('malformed-again', dead('MALFORMED_COMMAND'));
  return done();
};

/**
 * The third burst: only commands that can share a batch (no account without a
 * ledger account, no message id the inbox cannot store: either fails the
 * whole batch, whose items then run one by one), so batches form: new
 * requests, twins, invalid ones answered alone, and twelve over-spends in a
 * row.
 */
export const thirdBurst = (): Burst => {
  const { add, expect, ext, done } = builder('b3');
  for (let index = 0; index < 60; index++) {
    add(
      `new-${index}`,
      `new-${index}`,
      commandBody({ external_id: ext(`n${index}`), phone_number: globeNumber(3000 + index) }),
    );
    expect(`new-${index}`, ACCEPTED);
  }
  for (let index = 0; index < 12; index++)
    add(
      'frugal',
      `fr-${index}`,
      commandBody({ account_id: FRUGAL, external_id: ext(`fr${index}`), phone_number: globeNumber(3100 + index) }),
    );
  expect('frugal', [[...Array.from({ length: 5 }, () => 'accepted'), ...Array.from({ length: 7 }, () => 'rejected')]]);
  for (let index = 0; index < 4; index++) {
    const body = commandBody({ external_id: ext(`ts${index}`), phone_number: globeNumber(3200 + index) });
    add(`twin-same-${index}`, `ts-${index}-a`, body);
    add(`twin-same-${index}`, `ts-${index}-b`, body);
    expect(`twin-same-${index}`, [
      ['accepted', 'duplicate'],
      ['accepted', 'accepted'],
    ]);
    const fields = { external_id: ext(`td${index}`), phone_number: globeNumber(3300 + index) };
    add(`twin-diff-${index}`, `td-${index}-a`, commandBody(fields));
    add(`twin-diff-${index}`, `td-${index}-b`, commandBody({ ...fields, phone_number: globeNumber(3310 + index) }));
    expect(`twin-diff-${index}`, [['accepted', 'dead:EXTERNAL_ID_CONFLICT']]);
  }
  add('bad-phone', 'bp', commandBody({ external_id: ext('bp'), phone_number: '+63123' }));
  expect('bad-phone', dead('INVALID_TOP_UP_REQUEST'));
  add('no-product', 'np', commandBody({ external_id: ext('np'), phone_number: globeNumber(3400), max_amount: '1' }));
  expect('no-product', dead('NO_MATCHING_PRODUCT'));
  add('malformed', 'mf', '{"version":1,');
  expect('malformed', dead('MALFORMED_COMMAND'));
  // the over-spends one after the other, so that one batch decides several of them
  return done({ group: 'frugal', at: 10 });
};

/**
 * For two consumers on one queue: every request twice in a row (so that
 * each consumer gets one), as the same message (same id, same bytes) or
 * under another id, and over-spends.
 */
export const twoConsumerBurst = (): Burst => {
  const { add, expect, ext, done } = builder('c2');
  for (let index = 0; index < 40; index++) {
    const body = commandBody({ external_id: ext(`sm${index}`), phone_number: globeNumber(6000 + index) });
    add(`same-message-${index}`, `sm-${index}`, body);
    add(`same-message-${index}`, `sm-${index}`, body);
    expect(`same-message-${index}`, [['accepted', 'duplicate']]);
    if (index % 2 === 1) continue;
    const twin = commandBody({ external_id: ext(`ts${index}`), phone_number: globeNumber(6100 + index) });
    add(`twin-same-${index}`, `ts-${index}-a`, twin);
    add(`twin-same-${index}`, `ts-${index}-b`, twin);
    expect(`twin-same-${index}`, [
      ['accepted', 'duplicate'],
      ['accepted', 'accepted'],
    ]);
  }
  for (let index = 0; index < 12; index++)
    add(
      'frugal',
      `fr-${index}`,
      commandBody({ account_id: FRUGAL, external_id: ext(`fr${index}`), phone_number: globeNumber(6200 + index) }),
    );
  expect('frugal', [[...Array.from({ length: 5 }, () => 'accepted'), ...Array.from({ length: 7 }, () => 'rejected')]]);
  return done('as built');
};
