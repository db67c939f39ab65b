// Public API of pypi-service.
export {};
