// The accounts domain: organisations and API keys (store) and their admin routes (http).
export { ROLES, isRole, type Role, type Principal } from '../http/principal.js';
export { authenticateKey, createApiKey, ensureOrganisation, listApiKeys, revokeApiKey, type KeyInfo } from './store.js';
export { accountRoutes } from './http.js';
