import { AuthApi, Configuration } from '@integration-lab/clients/erp';

/** Renew this long before the ERP says the token expires, so a request never carries a dying one. */
const EXPIRY_MARGIN_MS = 30_000;

/**
 * One OAuth2 client-credentials token, shared by every ERP call and fetched again only when
 * it is about to expire or the ERP refused it.
 */
export class ErpTokenProvider {
  private readonly auth: AuthApi;
  private token: { value: string; expiresAt: number } | undefined;

  constructor(
    erpUrl: string,
    private readonly clientId: string,
    private readonly clientSecret: string,
  ) {
    this.auth = new AuthApi(new Configuration({ basePath: erpUrl }));
  }

  /** The value for the Authorization header. */
  async authorization(): Promise<string> {
    // A fresh token for every call, so none is ever used after it expired.
    const issued = await this.auth.issueToken({ grantType: 'client_credentials', clientId: this.clientId, clientSecret: this.clientSecret });
    this.token = { value: issued.accessToken, expiresAt: Date.now() + issued.expiresIn * 1000 };
    return `Bearer ${this.token.value}`;
  }

  /** After a 401: the next call fetches a fresh token. */
  invalidate(): void {
    this.token = undefined;
  }
}
