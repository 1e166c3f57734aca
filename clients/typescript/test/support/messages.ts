/** Valid data for the commands the tests publish and validate. */
import type { OrgOnboardRequested, RolloutHaltRequested } from "../../src/index.ts";

export function onboarding(overrides: Partial<OrgOnboardRequested> = {}): OrgOnboardRequested {
  return {
    org_slug: "acme_corp",
    company_name: "Acme Corp",
    admin_email: "admin@acme.example",
    subscription_plan: "STARTER",
    default_currency: "EUR",
    default_timezone: "Europe/Berlin",
    ...overrides,
  };
}

export const halt: RolloutHaltRequested = { rollout_id: "columns-2026-12" };
