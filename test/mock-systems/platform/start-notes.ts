import { afterAll, beforeAll } from 'vitest';
import { startMockServer, type MockServer, type MockServerOptions } from '../../../mock-systems/platform/server.ts';
import { notesSystem, type NotesState } from './notes-system/index.ts';

export const API_KEY = { 'x-api-key': 'notes-key' };

/** Starts the notes test system for one suite and stops it afterwards. */
export function useNotesServer(options: MockServerOptions = {}): { server: () => MockServer<NotesState> } {
  let server: MockServer<NotesState> | undefined;
  beforeAll(async () => {
    server = await startMockServer(notesSystem, { port: 0, size: 5, ...options });
  });
  afterAll(async () => {
    await server?.close();
  });
  return {
    server: () => {
      if (!server) throw new Error('the notes server has not started');
      return server;
    },
  };
}
