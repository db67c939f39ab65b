// Public API of npm-service.
export {};
