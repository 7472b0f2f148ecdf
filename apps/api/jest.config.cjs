// @fastify/swagger-ui serves its files with @fastify/static, which requires
// content-disposition 3, an ES module: Node 20.19+ loads it with require(),
// jest's module loader does not, so swc turns that package into CommonJS here.
const preset = require('../../jest.preset.js');

module.exports = {
  displayName: 'api',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testTimeout: 120_000,
  transform: {
    ...preset.transform,
    '^.+/node_modules/content-disposition/.+\\.js$': ['@swc/jest', { module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
};
