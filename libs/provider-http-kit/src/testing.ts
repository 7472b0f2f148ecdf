// Test helpers of @airtime/provider-http-kit: a scriptable fake provider server over real HTTP.
export {
  type RecordedRequest,
  type FakeReply,
  type CommonScript,
  type FakeHttpServer,
  startFakeHttpServer,
  unusedBaseUrl,
} from './testing/fake-http.server';
