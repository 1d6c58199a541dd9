import { AuthApi, Configuration, InvoicesApi } from '@integration-lab/clients/erp';

/** The ERP's invoices API, authenticated with a cached client-credentials token. */

export interface ErpSettings {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
}

export function createInvoicesApi(settings: ErpSettings): InvoicesApi {
  const auth = new AuthApi(new Configuration({ basePath: settings.baseUrl }));

  let cached: { value: string; expiresAt: number } | undefined;
  const accessToken = async () => {
    if (!cached || Date.now() >= cached.expiresAt) {
      const token = await auth.issueToken({ grantType: 'client_credentials', clientId: settings.clientId, clientSecret: settings.clientSecret });
      cached = { value: token.accessToken, expiresAt: Date.now() + (token.expiresIn - 10) * 1000 };
    }
    return `Bearer ${cached.value}`;
  };

  // TODO: a request the ERP never answers would wait forever. Give it a deadline.
  return new InvoicesApi(new Configuration({ basePath: settings.baseUrl, accessToken }));
}
