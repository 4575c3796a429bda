import { defineConfig } from 'vitest/config';
import base from './vitest.config';

// The integration, route and concurrency tests that run a second time on PostgreSQL: each
// test file gets its own database on a throwaway cluster (tests/support/db.ts). Left out:
// - PostgreSQL's own tests, which start their own databases and run in the first pass:
//   postgres-migrations, db-move, register-postgres, audit-postgres, postgres-instances,
//   postgres-storage-failures, job-leader, backup-restore-postgres, scale-both-databases,
//   outbox-instances;
// - what only SQLite has: backup-restore (the online backup API and file copies), cluster
//   (processes sharing one file; on PostgreSQL postgres-instances), disk-full (SQLite's
//   full-disk codes; PostgreSQL's are in postgres-storage-failures), register-backfill
//   (SQLite's migration 0010 backfill), register-scale (the SQLite bulk load's schema work);
// - js-budget, which measures the pages' JavaScript, not the database.
process.env.COSPONSOR_TEST_DATABASE = 'postgres';

export const onBothDatabases = [
  'tests/integration/sessions.test.ts',
  'tests/integration/classify.test.ts',
  'tests/integration/require-mou.test.ts',
  'tests/integration/risk-matrix-version.test.ts',
  'tests/outside/email.test.ts',
  'tests/outside/notifications.test.ts',
  'tests/outside/outbox.test.ts',
  'tests/outside/registry.test.ts',
  'tests/outside/slow-service.test.ts',
  'tests/routes/admin-config.test.ts',
  'tests/routes/auth.test.ts',
  'tests/routes/double-submit.test.ts',
  'tests/routes/hardening.test.ts',
  'tests/routes/inbox-scope.test.ts',
  'tests/routes/lead-small-findings.test.ts',
  'tests/routes/mou.test.ts',
  'tests/routes/notification-settings.test.ts',
  'tests/routes/partner-search-leak.test.ts',
  'tests/routes/proposals-lead.test.ts',
  'tests/routes/shell.test.ts',
  'tests/routes/sign-on.test.ts',
  'tests/routes/step-forms.test.ts',
  'tests/routes/throttle-proxy.test.ts',
  'tests/integration/sign-in-throttle.test.ts',
  'tests/integration/insights.test.ts',
  'tests/integration/insights-counts.test.ts',
  'tests/outside/screening.test.ts',
  'tests/outside/mocks-mode.test.ts',
  'tests/routes/review.test.ts',
  'tests/routes/insights.test.ts',
  'tests/routes/landing-lists-claims.test.ts',
  'tests/routes/dossier-precedent.test.ts',
  'tests/routes/public-files.test.ts',
  'tests/integration/partner-names.test.ts',
  // The register and the audit (search on tsvector, audit:verify on PostgreSQL).
  'tests/integration/register.test.ts',
  'tests/integration/register-dates.test.ts',
  'tests/integration/register-audit.test.ts',
  'tests/integration/log-integrity.test.ts',
  'tests/integration/incremental-verification.test.ts',
  'tests/routes/register.test.ts',
  'tests/routes/register-audit.test.ts',
  'tests/routes/audit-checkpoints.test.ts',
  'tests/integration/decision-log.test.ts',
  'tests/integration/server-process.test.ts',
  'tests/integration/service.test.ts',
  'tests/integration/review.test.ts',
  'tests/integration/page-counts.test.ts',
  'tests/integration/screening-memory.test.ts',
  'tests/integration/partner-questionnaire.test.ts',
  'tests/integration/attachments.test.ts',
  'tests/integration/mou.test.ts',
  'tests/integration/review-expiry.test.ts',
  'tests/integration/statechart-service.test.ts',
  'tests/routes/permissions.test.ts',
  'tests/routes/partner-questionnaire.test.ts',
  'tests/routes/outside-pages.test.ts',
  'tests/routes/honest-pages.test.ts',
  'tests/routes/screening-memory.test.ts',
  'tests/routes/attachments.test.ts',
  'tests/routes/partner-precedent.test.ts',
  'tests/outside/small-findings.test.ts',
  'tests/outside/checkpoint-publish.test.ts',
  'tests/routes/fuzz.test.ts',
  'tests/routes/no-get-writes.test.ts',
  'tests/routes/operations.test.ts',
  'tests/routes/server-html-once.test.ts',
  'tests/integration/dossier-cache.test.ts',
  'tests/integration/proposal-list-cache.test.ts',
  'tests/integration/seed.test.ts',
  // Changing one's password and an administrator's reset.
  'tests/integration/password-change.test.ts',
  'tests/routes/account.test.ts',
  'tests/integration/reset-password-command.test.ts',
  'tests/integration/forgot-password.test.ts',
  'tests/routes/forgot-password.test.ts',
  'tests/routes/probe-findings-5.test.ts',
];

// The base's settings with this list instead of every file (mergeConfig would add the lists up).
export default defineConfig({ ...base, test: { ...base.test, include: onBothDatabases } });
