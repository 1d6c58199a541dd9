import { fileURLToPath } from 'node:url';
import type { MockSystem, OperationRequest } from '../../../../mock-systems/platform/operation.ts';
import { problem } from '../../../../mock-systems/platform/problem.ts';

export interface Note {
  id: string;
  title: string;
  author: string;
  tags?: string[];
  createdAt: string;
}

export interface NotesState {
  notes: Note[];
}

/** A minimal system for exercising the platform: seeded notes, API-key auth, one broken handler. */
export const notesSystem: MockSystem<NotesState> = {
  name: 'notes',
  title: 'Notes',
  contractPath: fileURLToPath(new URL('./openapi.yaml', import.meta.url)),
  defaults: { credentials: { apiKey: 'notes-key' }, settings: {} },
  createState(config, random) {
    const faker = random('notes');
    return {
      notes: Array.from({ length: config.size }, (_, index) => ({
        id: `N-${index + 1}`,
        title: faker.lorem.words(3),
        author: faker.internet.email(),
        createdAt: new Date(Date.UTC(2026, 0, 1) + index * 60_000).toISOString(),
      })),
    };
  },
  authorize(request: OperationRequest, _state, context) {
    if (request.headers['x-api-key'] !== context.config.credentials.apiKey) {
      return problem(401, 'unauthorized', 'Missing or wrong API key', 'Send the key in the X-API-Key header.');
    }
    return undefined;
  },
  handlers: {
    listNotes(request, state) {
      const limit = (request.query.limit as number | undefined) ?? 20;
      return { status: 200, body: { data: state.notes.slice(0, limit) } };
    },
    createNote(request, state, context) {
      const input = request.body as { title: string; author: string; tags?: string[] };
      const note: Note = { id: `N-${state.notes.length + 1}`, ...input, createdAt: new Date(context.now()).toISOString() };
      state.notes.push(note);
      return { status: 201, body: note };
    },
    getNote(request, state) {
      const note = state.notes.find((candidate) => candidate.id === request.params.noteId);
      return note ? { status: 200, body: note } : problem(404, 'not-found', 'No such note');
    },
    getBroken() {
      return { status: 200, body: { id: 42 } };
    },
  },
  snapshot: (state) => state,
  entityOf: (request) => request.params.noteId ?? (request.body as { title?: string } | undefined)?.title,
};
