import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// The UI's access rules, as pure functions of a request's parts (server.ts applies them):
// the Host header, the token (URL once, then a cookie), the CSRF token of a POST, the headers.

export const COOKIE = 'holdfast_ui';

export interface Secrets {
  readonly token: string; // in the printed URL, then the cookie
  readonly csrf: string; // in every form; a POST without it changes nothing
}

export const freshSecrets = (): Secrets => ({ token: randomBytes(32).toString('base64url'), csrf: randomBytes(32).toString('base64url') });

// Equal without leaking where they differ (hashes: timingSafeEqual wants equal lengths).
export function same(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const h = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(h(a), h(b));
}

// The Host names a browser may send for the listen address (DNS rebinding: a page of another
// site that resolves its own name to 127.0.0.1 sends its own name, and is refused). On loopback,
// localhost is the same place.
export function allowedHosts(host: string, port: number): Set<string> {
  const loopback = host === '127.0.0.1' || host === '::1' || host === 'localhost';
  const names = loopback ? ['127.0.0.1', 'localhost', '[::1]'] : [host.includes(':') ? `[${host}]` : host];
  return new Set(names.map((n) => `${n}:${port}`));
}

export function cookieValue(header: string | undefined, name = COOKIE): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

export const sessionCookie = (token: string): string => `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;

// Every response: scripts and styles from this server only, no inline script, no frames, no
// forms to elsewhere; the URL's token never leaks through a Referer; nothing cached.
export const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};
