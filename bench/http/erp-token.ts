/** A bearer token from a benchmark's ERP, with the default lab client. */
export async function erpToken(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'lab-client', client_secret: 'lab-secret' }),
  });
  if (!response.ok) throw new Error(`could not get an ERP token: ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}
