// Test helpers of provider-dtone: a programmable fake of the DVS HTTP API and
// DVS JSON samples, for this lib's specs and other libs' tests. Never
// imported by production code.
export {
  type RecordedRequest,
  type FakeReply,
  type FakeHandler,
  type FakeDvsServer,
  startFakeDvsServer,
  pagedReply,
} from './testing/dvs-server.fake';
export {
  sampleDvsOperator,
  sampleDvsFixedProduct,
  sampleDvsRangedProduct,
  sampleDvsTransaction,
  sampleDvsBalance,
} from './testing/dvs.fixture';
