import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { installFetchGlobals } from '../../app/http/globals.server';
import { handlers } from '../mocks';
import { freshDatabase, removeTempDirs } from './db';

// The same web globals as the server, before msw wraps fetch.
installFetchGlobals();
export const mockServer = setupServer(...handlers);

beforeAll(() => mockServer.listen({ onUnhandledRequest: 'error' }));
afterEach(() => mockServer.resetHandlers());
afterAll(() => mockServer.close());
// Registered first, so it runs after every test file's own afterAll: the copies go with the file.
afterAll(() => removeTempDirs());

// Every test file starts on its own copy of the seeded database.
freshDatabase('demo');
