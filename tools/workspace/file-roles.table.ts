// The closed list of file role suffixes: `<concept>.<role>.ts`, one role,
// one suffix, no synonyms side by side. A file without a suffix holds the
// concept it is named for (its types and pure functions), e.g. `money.ts`.
// Specs take the name of what they test, then `.spec.ts` or
// `.integration.spec.ts` (which needs PostgreSQL, RabbitMQ or a server).
// The README's "File roles" table lists the same roles; a spec checks both.

export const FILE_ROLES = {
  adapter: 'implements a domain port (a store, a repository, a provider)',
  arbitraries: 'fast-check generators for tests',
  check: 'validation guards that answer typed errors',
  client: 'calls a remote system (HTTP provider, broker connection, publisher)',
  codec: 'two-way conversion between a wire or stored format and a value',
  command: 'one command of a model-based test',
  config: 'settings decoded from the environment at start-up',
  errors: 'the tagged errors of a module (built with `taggedError`)',
  fake: 'a test double at the edge (fake provider server, TCP proxy, manual timer, callback receiver, recording logger)',
  fixture: 'fixed data and set-up helpers for tests and samples',
  format: 'text for people (reasons, log lines) made from values',
  handler: 'handles one inbound message or callback',
  input: 'the decoded input of a use case or a client call',
  machine: 'a state machine',
  mapper: 'one-way conversion from one model to another',
  migration: 'a database migration',
  model: 'the reference model of a model-based test',
  module: 'an inversify container module of an app',
  plugin: 'a Fastify plugin (hooks and decorations of the HTTP server: authentication, rate limit, metrics)',
  policy: 'a decision rule (retry schedule, rate limit, precedence, backoff)',
  port: 'an interface the domain owns, with its effect tag',
  queries: 'SQL text and query builders, or queries over an in-memory store',
  redaction: 'removal of secrets and personal data',
  routes: 'HTTP routes',
  runner: 'drives a loop (a consumer)',
  schema: 'effect/Schema shapes of outside data',
  server: 'an HTTP server',
  table: 'data that is a rule (error tables, status tables, topology)',
  types: 'type declarations only',
  'use-case': 'an application use case (an effect program)',
} as const;

export type FileRole = keyof typeof FILE_ROLES;

/** File names that are not `<concept>[.<role>].ts` by design. */
export const ENTRY_FILES: readonly string[] = ['index.ts', 'testing.ts', 'main.ts'];
