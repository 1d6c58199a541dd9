import type { OperationHandler, OperationRequest, OperationResponse } from '../platform/operation.ts';
import { problem } from '../platform/problem.ts';
import type { CrmAccount, CrmContact } from './data.ts';
import { DEFAULT_PAGE_LIMIT, decodeCursor, pageAfter } from '../platform/cursor-pagination.ts';

export interface CrmState {
  /** Ordered by id. */
  accounts: CrmAccount[];
  /** Ordered by id. */
  contacts: CrmContact[];
  accountsById: Map<string, CrmAccount>;
  contactsById: Map<string, CrmContact>;
}

const ACCOUNT_ID = /^ACC-\d{5}$/;
const CONTACT_ID = /^CON-\d{6}$/;

export const listAccounts: OperationHandler<CrmState> = (request, state) =>
  listPage(request, state.accounts, ACCOUNT_ID, () => true);

export const getAccount: OperationHandler<CrmState> = (request, state) => {
  const account = state.accountsById.get(request.params.accountId ?? '');
  return account ? { status: 200, body: account } : notFound('account', request.params.accountId);
};

export const listContacts: OperationHandler<CrmState> = (request, state) => {
  const accountId = request.query.accountId as string | undefined;
  return listPage(request, state.contacts, CONTACT_ID, (contact) => accountId === undefined || contact.accountId === accountId);
};

export const getContact: OperationHandler<CrmState> = (request, state) => {
  const contact = state.contactsById.get(request.params.contactId ?? '');
  return contact ? { status: 200, body: contact } : notFound('contact', request.params.contactId);
};

export const crmHandlers: Record<string, OperationHandler<CrmState>> = { listAccounts, getAccount, listContacts, getContact };

function listPage<T extends { id: string; updatedAt: string }>(
  request: OperationRequest,
  records: readonly T[],
  idPattern: RegExp,
  keep: (record: T) => boolean,
): OperationResponse {
  const limit = (request.query.limit as number | undefined) ?? DEFAULT_PAGE_LIMIT;
  const cursor = request.query.cursor as string | undefined;
  const afterId = cursor === undefined ? undefined : decodeCursor(cursor, idPattern);
  if (cursor !== undefined && afterId === undefined) {
    return problem(400, 'invalid-cursor', 'Invalid cursor', 'Pass back the page.nextCursor of a previous page of this same list, unchanged.', {
      errors: [{ pointer: '/query/cursor', message: 'is not a cursor this list issued' }],
    });
  }
  const updatedSince = request.query.updatedSince as string | undefined;
  const since = updatedSince === undefined ? undefined : Date.parse(updatedSince);
  const matching = records.filter((record) => keep(record) && (since === undefined || Date.parse(record.updatedAt) >= since));
  return { status: 200, body: pageAfter(matching, afterId, limit) };
}

function notFound(kind: string, id: string | undefined): OperationResponse {
  return problem(404, `${kind}-not-found`, `No such ${kind}`, `There is no ${kind} with id ${id}.`);
}
