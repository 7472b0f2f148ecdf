// Test helpers of @airtime/application: in-memory layers of every port the use cases need.
export {};
