// Public API of web-console.
export {};
