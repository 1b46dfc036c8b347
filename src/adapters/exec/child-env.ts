// The environment every program holdfast starts gets: holdfast's own, minus the secrets it may
// hold (S3 credentials, a store key named by encryption_key_env). zfs, ssh, compressors, rsync
// and notify commands need none of them, and a child's environment is readable in
// /proc/PID/environ and can travel with ssh's SendEnv.
const SECRET = /^(AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|AWS_SECURITY_TOKEN|HOLDFAST_S3_SECRET\w*)$/;
const marked = new Set<string>();

// A variable that holds a secret for this run (the key source `encryption_key_env` names).
export function markSecretEnv(name: string): void {
  marked.add(name);
}

export function childEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (!SECRET.test(k) && !marked.has(k)) out[k] = v;
  return out;
}
