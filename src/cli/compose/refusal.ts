import { statSync } from 'node:fs';
import { messageOf } from '../../app/failures.js';

// A notify_command or a hook runs as whoever runs holdfast (root), so it must come from a file
// that only root (or that user) can change, as cron insists for its own files.
export function commandRefusal(path: string): string | undefined {
  try {
    const st = statSync(path);
    const uid = process.getuid?.() ?? 0;
    if (st.mode & 0o002) return `${path} is writable by everyone (chmod 600 ${path})`;
    if (st.uid !== 0 && st.uid !== uid) return `${path} is owned by uid ${st.uid}, not root (chown root: ${path})`;
    return undefined;
  } catch (e) {
    return `cannot check ${path}: ${messageOf(e)}`;
  }
}
