import { json, type ServerBuild } from '@remix-run/node';

// When the database cannot write (disk full, I/O error, read-only, locked too
// long), no action may end in a generic error page that loses what the person
// typed: every route's action is wrapped so such a failure answers with a clear
// sentence and the submitted text, shown by the error page to copy.

const STORAGE_CODES = /^SQLITE_(FULL|IOERR|READONLY|BUSY|LOCKED|CANTOPEN|NOMEM)/;

/** Fields never shown back: secrets, and the form's own bookkeeping. */
const HIDDEN_FIELD = /password|token|^intent$|^version$|^baseVersion$|^_/i;

export type TypedField = { name: string; value: string };
export type StorageFailureData = { message: string; typed: TypedField[] };

export function storageErrorCode(error: unknown): string | null {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && STORAGE_CODES.test(code)) return code;
  }
  return null;
}

export function storageFailureMessage(code: string): string {
  return code.startsWith('SQLITE_FULL')
    ? 'The server could not save this: its storage is full. Nothing was saved. What you typed is below; copy it, and try again later.'
    : 'The server could not save this just now. Nothing was saved. What you typed is below; copy it, and try again in a moment.';
}

function wrapAction(action: NonNullable<ServerBuild['routes'][string]['module']['action']>): typeof action {
  return async (args) => {
    const copy = args.request.clone();
    try {
      return await action(args);
    } catch (error) {
      const code = storageErrorCode(error);
      if (!code) throw error;
      console.error(`Could not write (${code}) during ${args.request.method} ${new URL(args.request.url).pathname}:`, error);
      let typed: TypedField[] = [];
      try {
        const form = await copy.formData();
        typed = [...form.entries()]
          .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].trim() !== '' && !HIDDEN_FIELD.test(entry[0]))
          .map(([name, value]) => ({ name, value }));
      } catch {
        // No form to give back.
      }
      throw json({ message: storageFailureMessage(code), typed } satisfies StorageFailureData, {
        status: code.startsWith('SQLITE_FULL') ? 507 : 503,
      });
    }
  };
}

/** The build with every route action wrapped (the build's own modules are left as they are). */
export function withStorageFailureAnswers(build: ServerBuild): ServerBuild {
  const routes: ServerBuild['routes'] = {};
  for (const [id, route] of Object.entries(build.routes)) {
    const action = route.module.action;
    routes[id] = action ? { ...route, module: { ...route.module, action: wrapAction(action) } } : route;
  }
  return { ...build, routes };
}
