// Test helpers of @airtime/messaging-rabbitmq (for its own and later libs' and apps' integration tests).
export {
  testAmqpUrl,
  uniqueTopologyPrefix,
  testTopology,
  type RawBroker,
  openRawBroker,
  deleteTopology,
} from './testing/broker.fixture';
export { type TcpProxy, startTcpProxy } from './testing/tcp-proxy.fake';
export { type LogRecord, type RecordingLogger, recordingLogger } from '@airtime/application/testing';
export {
  type OwnBrokerNode,
  type OwnBrokerNodeOptions,
  startOwnBrokerNode,
  ownNodeCtl,
} from './testing/own-broker-node.fixture';
