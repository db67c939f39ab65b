// Public API of npm-protocol.
export {};
