module.exports = {
  displayName: 'persistence-postgres',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // integration tests share one PostgreSQL server; each file makes its own database
  testTimeout: 60_000,
};
