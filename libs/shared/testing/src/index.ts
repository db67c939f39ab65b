// Public API of shared-testing.
export {};
