import { json, type ServerBuild } from '@remix-run/node';
import { storageFailureOf, type StorageFailure } from '../../db/storage-errors';

// When the database cannot write (disk full, I/O error, read-only, locked too
// long) or cannot be reached (PostgreSQL's connection lost, a statement timed out),
// no action may end in a generic error page that loses what the person typed:
// every route's action is wrapped so such a failure answers with a clear sentence
// and the submitted text, shown by the error page to copy. Loaders are wrapped too:
// a page that cannot be read says so (503) instead of "Something went wrong" (500).

/** Fields never shown back: secrets, and the form's own bookkeeping. */
const HIDDEN_FIELD = /password|token|^intent$|^version$|^baseVersion$|^_/i;

export type TypedField = { name: string; value: string };
export type StorageFailureData = { message: string; typed: TypedField[]; title?: string };

/** The failing storage's code (SQLITE_FULL, a PostgreSQL SQLSTATE, PG_DEADLINE…), or null for any other error. */
export function storageErrorCode(error: unknown): string | null {
  return storageFailureOf(error)?.code ?? null;
}

/** 507 for a full disk, 503 for the rest: all of them pass, or can be retried. */
export function storageFailureStatus(failure: StorageFailure): 503 | 507 {
  return failure.kind === 'full' ? 507 : 503;
}

export function storageFailureMessage(failure: StorageFailure): string {
  const kind = failure.kind;
  if (kind === 'full') return 'The server could not save this: its storage is full. Nothing was saved. What you typed is below; copy it, and try again later.';
  if (kind === 'unreachable') {
    return 'The server lost its connection to its database while saving this, so it may not have been saved. What you typed is below; copy it, check whether it was saved, and try again in a moment.';
  }
  return 'The server could not save this just now. Nothing was saved. What you typed is below; copy it, and try again in a moment.';
}

/** What a page that could not be read says. */
export function storageReadFailureMessage(failure: StorageFailure): string {
  return failure.kind === 'unreachable'
    ? 'The server cannot reach its database just now, so this page cannot be shown. Try again in a moment.'
    : 'The server is too busy to show this page just now. Try again in a moment.';
}

function wrapAction(action: NonNullable<ServerBuild['routes'][string]['module']['action']>): typeof action {
  return async (args) => {
    const copy = args.request.clone();
    try {
      return await action(args);
    } catch (error) {
      const failure = storageFailureOf(error);
      if (!failure) throw error;
      console.error(`Could not write (${failure.code}) during ${args.request.method} ${new URL(args.request.url).pathname}:`, error);
      let typed: TypedField[] = [];
      try {
        const form = await copy.formData();
        typed = [...form.entries()]
          .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].trim() !== '' && !HIDDEN_FIELD.test(entry[0]))
          .map(([name, value]) => ({ name, value }));
      } catch {
        // No form to give back.
      }
      throw json({ message: storageFailureMessage(failure), typed } satisfies StorageFailureData, { status: storageFailureStatus(failure) });
    }
  };
}

function wrapLoader(loader: NonNullable<ServerBuild['routes'][string]['module']['loader']>): typeof loader {
  return async (args) => {
    try {
      return await loader(args);
    } catch (error) {
      const failure = storageFailureOf(error);
      if (!failure) throw error;
      console.error(`Could not read (${failure.code}) during ${args.request.method} ${new URL(args.request.url).pathname}:`, error);
      throw json({ message: storageReadFailureMessage(failure), typed: [], title: 'Not available' } satisfies StorageFailureData, { status: 503 });
    }
  };
}

/** The build with every route action and loader wrapped (the build's own modules are left as they are). */
export function withStorageFailureAnswers(build: ServerBuild): ServerBuild {
  const routes: ServerBuild['routes'] = {};
  for (const [id, route] of Object.entries(build.routes)) {
    const { action, loader } = route.module;
    routes[id] =
      action || loader
        ? {
            ...route,
            module: { ...route.module, ...(action ? { action: wrapAction(action) } : {}), ...(loader ? { loader: wrapLoader(loader) } : {}) },
          }
        : route;
  }
  return { ...build, routes };
}
