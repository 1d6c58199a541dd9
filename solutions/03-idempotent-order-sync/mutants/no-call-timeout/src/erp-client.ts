import { AuthApi, Configuration, InvoicesApi } from '@integration-lab/clients/erp';

/**
 * The ERP's invoices API with a cached client-credentials token and a timeout on every
 * request, so a hanging ERP turns into an error we can retry instead of a stuck consumer.
 */

export interface ErpSettings {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs: number;
}

/** Renew a little before the ERP says the token expires. */
const EXPIRY_MARGIN_MS = 10_000;

export function createInvoicesApi(settings: ErpSettings): InvoicesApi {
  // The ERP is fast; the client's own defaults will do.
  const fetchApi = (url: string | URL, init?: RequestInit) => fetch(url, init);
  const auth = new AuthApi(new Configuration({ basePath: settings.baseUrl, fetchApi }));

  let cached: { value: string; expiresAt: number } | undefined;
  const accessToken = async () => {
    if (!cached || Date.now() >= cached.expiresAt) {
      const token = await auth.issueToken({ grantType: 'client_credentials', clientId: settings.clientId, clientSecret: settings.clientSecret });
      cached = { value: token.accessToken, expiresAt: Date.now() + token.expiresIn * 1000 - EXPIRY_MARGIN_MS };
    }
    return `Bearer ${cached.value}`;
  };

  return new InvoicesApi(
    new Configuration({
      basePath: settings.baseUrl,
      fetchApi,
      accessToken,
      // A 401 means the token is no longer good: forget it so the retry fetches a new one.
      middleware: [{ post: async ({ response }) => { if (response.status === 401) cached = undefined; return response; } }],
    }),
  );
}
