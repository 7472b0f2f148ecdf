module.exports = {
  displayName: 'messaging-rabbitmq',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // integration tests share one RabbitMQ broker; each file declares its own prefixed topology
  testTimeout: 30_000,
};
