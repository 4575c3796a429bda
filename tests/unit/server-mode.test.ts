import { describe, expect, it } from 'vitest';
import { serverMode } from '../../app/http.server';

// `npm install && npm start` sets no NODE_ENV: the server must not then answer errors with their
// stack (Remix's development mode), which only `npm run dev` asks for.
describe('serverMode', () => {
  it('serves as production unless development is asked for', () => {
    expect(serverMode(undefined)).toBe('production');
    expect(serverMode('production')).toBe('production');
    expect(serverMode('test')).toBe('production');
    expect(serverMode('development')).toBe('development');
  });
});
