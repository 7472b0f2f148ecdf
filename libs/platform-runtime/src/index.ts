// See the README section of this lib.
export {};
