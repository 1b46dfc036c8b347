// POST a JSON body with Node's global fetch, bounded by a timeout. URL user info (which fetch
// refuses) becomes a Basic Authorization header.
export async function postJson(url: string, body: string, timeoutMs: number, userAgent: string): Promise<{ status: number }> {
  const u = new URL(url);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': userAgent };
  if (u.username || u.password) {
    headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`;
    u.username = '';
    u.password = '';
  }
  try {
    const r = await fetch(u, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
    await r.body?.cancel().catch(() => undefined); // the answer's body is not needed
    return { status: r.status };
  } catch (e) {
    throw new Error(whyFetchFailed(e, timeoutMs));
  }
}

// fetch says "fetch failed"; the cause says why (connection refused, DNS, timeout).
function whyFetchFailed(e: unknown, timeoutMs: number): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return `no answer within ${timeoutMs / 1000} s`;
  const c = err.cause;
  if (c?.code === 'ECONNREFUSED') return 'connection refused';
  if (c?.code === 'ENOTFOUND' || c?.code === 'EAI_AGAIN') return 'host name not found';
  return c?.code ?? c?.message ?? err.message ?? String(e);
}
