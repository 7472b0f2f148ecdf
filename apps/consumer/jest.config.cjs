module.exports = {
  displayName: 'consumer',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // integration tests run the consumer in-process against the shared PostgreSQL and RabbitMQ
  // (each file its own database and its own prefixed topology) and the simulator's HTTP server
  testTimeout: 120_000,
};
