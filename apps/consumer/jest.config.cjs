module.exports = {
  displayName: 'consumer',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // integration tests run the consumer in-process against the shared PostgreSQL and RabbitMQ
  // (each file its own database and its own prefixed topology) and the simulator's HTTP server
  testTimeout: 120_000,
  // two spec files at a time (jest's default on 2 cores is one): the fault specs mostly wait on the
  // scaled retry schedule, so the kill -9 spec runs beside the others instead of after them
  // (563 s -> about 250 s for this project on the CI machine)
  maxWorkers: 2,
};
