module.exports = {
  displayName: 'workspace-tools',
  preset: '../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.spec.ts'],
  // two spec files at a time (jest's default on 2 cores is one): the admin, package and platform
  // specs mostly wait on child processes (npm pack, tsx, npm start), so the others run beside them
  maxWorkers: 2,
};
