// Notification URLs carry their secret in the path (Slack, healthchecks.io), the query or the
// user info. Logs show only scheme://host/ and the path's harmless words.

// "https://hooks.slack.com/services/…/…/…": keeps short lower-case words, v1-style versions and
// exit codes; every other path segment, the user info, query and fragment become "…".
export function redactUrl(text: string): string {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return '(an invalid URL)';
  }
  const path = u.pathname
    .split('/')
    .map((seg) => (seg === '' || /^[a-z]{1,12}$/.test(seg) || /^v\d{1,2}$/.test(seg) || /^\d{1,3}$/.test(seg) ? seg : '…'))
    .join('/');
  return `${u.protocol}//${u.host}${path}${u.search ? '?…' : ''}${u.hash ? '#…' : ''}`;
}

// Any URL inside a message loses its user info, query and fragment (paths of s3:// and
// ssh locations stay: they say where, not who).
export function scrubSecrets(message: string): string {
  return message.replace(
    /\b([a-z][a-z0-9+.-]*:\/\/)([^\s'"<>/@]*@)?([^\s'"<>?#]*)([?#][^\s'"<>]*)?/gi,
    (_m, scheme: string, _user, rest: string, query) => `${scheme}${rest}${query ? '?…' : ''}`,
  );
}
