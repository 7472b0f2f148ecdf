// Test helpers of @airtime/provider-http-kit: a scriptable fake provider server over real HTTP, and hostile
// answers that plant secrets and phone numbers everywhere, for the adapters' leak tests.
export {
  type RecordedRequest,
  type FakeReply,
  type CommonScript,
  type FakeHttpServer,
  startFakeHttpServer,
  unusedBaseUrl,
} from './testing/http-server.fake';
export { pollUntil } from './testing/poll-until';
export {
  type PlantedValues,
  CANARY,
  secretArbitrary,
  phoneNumberForms,
  forbiddenInRecords,
  forbiddenInErrors,
  leaksOf,
  PLANTED,
  plantText,
  plantReply,
  hostileJsonArbitrary,
  oneLeafArbitrary,
  hostileBodyArbitrary,
  hostileReplyArbitrary,
} from './testing/hostile-answer.arbitraries';
