// Test helpers of @airtime/provider-engagespark: a fake engageSPARK server over real HTTP.
export {
  FAKE_ES_ORG_ID,
  FAKE_ES_TOKEN,
  FAKE_ES_CATALOGUE,
  type FakeCatalogue,
  type FakeEngageSparkOptions,
  type FakeEngageSparkScript,
  type FakeEngageSpark,
  startFakeEngageSpark,
} from './testing/engagespark-server.fake';
