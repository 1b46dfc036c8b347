import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DoctorCheck, Finding } from '../finding.js';

// The policy file: present, owned by root (or whoever runs holdfast), writable by nobody else.
// A notify_command in it runs as root, so "writable by others" is a way in; it is a warning
// (the run still works) and holdfast then refuses to run notify_command from it.
export const configFileCheck: DoctorCheck = async (d) => {
  const path = d.configPath;
  let st;
  try {
    st = statSync(path);
  } catch {
    return [
      {
        check: 'config',
        where: path,
        status: 'fail',
        detail: d.configError ?? 'cannot read the file',
        fix: `holdfast setup (writes a commented sample to /etc/holdfast), or --config PATH`,
      },
    ];
  }
  const mode = st.mode & 0o777;
  const rows: Finding[] = [];
  const octal = mode.toString(8).padStart(4, '0');
  const writers = [mode & 0o020 ? 'group' : '', mode & 0o002 ? 'others' : ''].filter(Boolean);
  if (writers.length > 0) {
    rows.push({
      check: 'config',
      where: path,
      status: 'warn',
      detail: `mode ${octal}: writable by ${writers.join(' and ')}; notify_command will not run from it`,
      fix: `chmod 600 ${path}`,
    });
  }
  if (st.uid !== 0 && st.uid !== d.uid) {
    rows.push({
      check: 'config',
      where: path,
      status: 'warn',
      detail: `owned by uid ${st.uid}, who can change what holdfast runs`,
      fix: `chown root:root ${path}`,
    });
  }
  const hasSecret = d.file?.notify.some((n) => n.url !== undefined);
  if (hasSecret && mode & 0o004) {
    rows.push({
      check: 'config',
      where: path,
      status: 'warn',
      detail: `mode ${octal}: readable by everyone, and a notify_url usually holds a secret`,
      fix: `chmod 600 ${path}`,
    });
  }
  const dir = dirname(path);
  try {
    if (statSync(dir).mode & 0o002 && !(statSync(dir).mode & 0o1000)) {
      rows.push({
        check: 'config',
        where: dir,
        status: 'warn',
        detail: 'the directory is writable by everyone: anyone can replace the file',
        fix: `chmod 755 ${dir}`,
      });
    }
  } catch {
    // the file exists, so its directory does too; a race is not worth a row
  }
  if (rows.length === 0) rows.push({ check: 'config', where: path, status: 'ok', detail: `owner uid ${st.uid}, mode ${octal}` });
  return rows;
};
