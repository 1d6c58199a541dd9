import { randomBytes } from 'node:crypto';
import { CREDENTIAL_VARIABLES, MOCK_SYSTEMS, type MockSystemName } from '../../mock-systems/index.ts';
import type { SubmissionEnvironment } from './variables.ts';

/**
 * The variables a submission gets for one mock system at `url`: its address and the credentials
 * the system accepts (the documented ones unless a run drew its own).
 */
export function mockSystemVariables(name: MockSystemName, url: string, credentials: Record<string, string> = MOCK_SYSTEMS[name].defaults.credentials): SubmissionEnvironment {
  return { [`${name.toUpperCase()}_URL`]: url, ...credentialVariables(name, credentials) };
}

/** A system's credentials as environment variables (CRM_API_KEY…). */
export function credentialVariables(name: MockSystemName, credentials: Record<string, string>): SubmissionEnvironment {
  return Object.fromEntries(Object.entries(CREDENTIAL_VARIABLES[name]).map(([field, variable]) => [variable, credentials[field]!]));
}

/**
 * A system's credentials drawn afresh, for a graded run: no run can log in to another's services
 * with the documented ones. The ERP's client id is a name, not a secret, and stays.
 */
export function drawnCredentials(name: MockSystemName): Record<string, string> {
  return Object.fromEntries(Object.entries(MOCK_SYSTEMS[name].defaults.credentials).map(([field, value]) => [field, field === 'clientId' ? value : randomBytes(18).toString('base64url')]));
}
