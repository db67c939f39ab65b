// Public API of policy-http: the firewall's admin routes, mounted by both registries.
export { policyRoutes, type PolicyRoutesOptions, type UserRoute } from './lib/policy-routes';
