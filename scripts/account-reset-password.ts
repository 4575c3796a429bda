// npm run account:reset-password -- <email>
// From the server's shell: gives that active account a one-time temporary password, exactly as an
// admin's reset does (docs/decisions/0380-password-change-and-reset.md): printed here once, works
// for one sign-in within 72 hours, every session of the account ends, and the person must choose
// a new password before any other page. The way back when no admin can sign in.
// SQLite at DATABASE_PATH, or PostgreSQL when DATABASE_URL is set. Exit 0 done, 1 refused, 2 usage.
import os from 'node:os';
import { resetPasswordFromCommandLine } from '../app/features/admin/admin.server';
import { closeDatabase, database } from '../db/connection';

const args = process.argv.slice(2);
if (args.length !== 1 || !args[0]!.includes('@') || args[0]!.startsWith('-')) {
  console.error('Usage: npm run account:reset-password -- <e-mail address of the account>');
  process.exit(2);
}

/** Who ran the command, for the admin log: the system account, as the shell knows it. */
function systemUser(): string | null {
  try {
    return os.userInfo().username || null;
  } catch {
    return null;
  }
}

let code = 0;
try {
  database();
  const result = await resetPasswordFromCommandLine(args[0]!, systemUser());
  if (result.ok) {
    console.log(result.message);
    console.log('');
    console.log(`Temporary password (shown only now): ${result.temporaryPassword}`);
    console.log('');
    console.log('Hand it over in person or by phone, never by e-mail or chat. It is not stored anywhere.');
  } else {
    console.error(`Refused: ${result.message}`);
    code = 1;
  }
} catch (error) {
  console.error(`The password was not reset: ${(error as Error).message}`);
  code = 1;
} finally {
  closeDatabase();
}
process.exit(code);
