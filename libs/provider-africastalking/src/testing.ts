// Test helpers of @airtime/provider-africastalking: a fake Africa's Talking server over real HTTP.
export {
  FAKE_AT_USERNAME,
  FAKE_AT_API_KEY,
  type FakeAfricasTalkingOptions,
  type FakeAfricasTalkingScript,
  type FakeAfricasTalking,
  startFakeAfricasTalking,
} from './testing/africastalking-server.fake';
