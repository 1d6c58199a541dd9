/**
 * Reads a response's JSON body. Tests assert on its shape with expect(), so the body is typed
 * loosely here rather than cast at every call.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function jsonOf(response: Response | Promise<Response>): Promise<any> {
  return (await response).json();
}
