// Public API of npm-proxy-e2e.
export {};
