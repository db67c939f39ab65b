// Public API of registry-abuse-e2e.
export {};
