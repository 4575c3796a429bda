import type { Migration } from 'kysely';
import * as m0001 from './2026-11-22-0001-initial';
import * as m0010 from './2026-11-22-0010-register-search';
import * as m0030 from './2026-11-22-0030-outside-services';
import * as m0050 from './2026-11-22-0050-review-indexes';
import * as m0060 from './2026-11-22-0060-search-index-after-commit';
import * as m0070 from './2026-11-28-0070-proposal-creation-token';
import * as m0080 from './2026-11-28-0080-log-seal-and-audit-head';
import * as m0100 from './2026-11-28-0100-name-keys-in-every-script';
import * as m0110 from './2026-11-28-0110-review-claims-and-list-indexes';
import * as m0120 from './2026-11-28-0120-job-leases';
import * as m0125 from './2026-11-28-0125-page-counts';
import * as m0130 from './2026-11-28-0130-sign-on-identities';
import * as m0140 from './2026-11-28-0140-insights-indexes';
import * as m0150 from './2026-11-28-0150-email-notifications';
import * as m0160 from './2026-11-28-0160-partner-links';
import * as m0180 from './2026-11-28-0180-screening-memory';
import * as m0190 from './2026-11-28-0190-search-columns-apart';
import * as m0360 from './2026-11-28-0360-login-attempts-by-pair';
import * as m0380 from './2026-11-28-0380-password-reset';
import * as m0390 from './2026-11-28-0390-incremental-verification-indexes';
import * as m0410 from './2026-11-29-0410-password-reset-links';

// Every migration, by name; names sort in the order they must run.
// Listed statically so the same code runs under tsx, vitest and a bundle.
export const migrations: Record<string, Migration> = {
  '2026-11-22-0001-initial': m0001,
  '2026-11-22-0010-register-search': m0010,
  '2026-11-22-0030-outside-services': m0030,
  '2026-11-22-0050-review-indexes': m0050,
  '2026-11-22-0060-search-index-after-commit': m0060,
  '2026-11-28-0070-proposal-creation-token': m0070,
  '2026-11-28-0080-log-seal-and-audit-head': m0080,
  '2026-11-28-0100-name-keys-in-every-script': m0100,
  '2026-11-28-0110-review-claims-and-list-indexes': m0110,
  '2026-11-28-0120-job-leases': m0120,
  '2026-11-28-0125-page-counts': m0125,
  '2026-11-28-0130-sign-on-identities': m0130,
  '2026-11-28-0140-insights-indexes': m0140,
  '2026-11-28-0150-email-notifications': m0150,
  '2026-11-28-0160-partner-links': m0160,
  '2026-11-28-0180-screening-memory': m0180,
  '2026-11-28-0190-search-columns-apart': m0190,
  '2026-11-28-0360-login-attempts-by-pair': m0360,
  '2026-11-28-0380-password-reset': m0380,
  '2026-11-28-0390-incremental-verification-indexes': m0390,
  '2026-11-29-0410-password-reset-links': m0410,
};
