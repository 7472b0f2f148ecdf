module.exports = {
  displayName: 'messaging-in-process',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testTimeout: 30_000,
};
