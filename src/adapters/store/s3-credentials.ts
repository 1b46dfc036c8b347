import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { readSecretFile } from '../crypto/secret-file.js';
import { StoreConfigError } from './errors.js';

// Why: carries the S3 secret so that logging, JSON or inspect of it shows only where it came from.
export class S3Credentials {
  readonly #secret: string;
  readonly #token: string | undefined;

  constructor(
    readonly accessKeyId: string,
    secretAccessKey: string,
    // Where to look when the server rejects them: "FILE [profile]" or "$AWS_SECRET_ACCESS_KEY".
    readonly source: string,
    sessionToken?: string,
  ) {
    this.#secret = secretAccessKey;
    this.#token = sessionToken;
  }

  // The form the AWS SDK wants; only the client builder calls this.
  forSdk(): { accessKeyId: string; secretAccessKey: string; sessionToken?: string } {
    return { accessKeyId: this.accessKeyId, secretAccessKey: this.#secret, ...(this.#token ? { sessionToken: this.#token } : {}) };
  }

  toJSON(): { accessKeyId: string; source: string } {
    return { accessKeyId: this.accessKeyId, source: this.source };
  }

  [inspect.custom](): string {
    return `S3Credentials(${this.accessKeyId} from ${this.source})`;
  }
}

export interface CredentialsOptions {
  file?: string; // AWS shared-credentials INI file; must be mode 0600
  profile?: string; // section name, default "default"
}

// Why: the one way holdfast gets S3 credentials: a private credentials file (configured, then
// $AWS_SHARED_CREDENTIALS_FILE, then ~/.aws/credentials) or $AWS_ACCESS_KEY_ID/$AWS_SECRET_ACCESS_KEY.
// Never argv. A configured file wins over the environment.
export async function loadS3Credentials(opts: CredentialsOptions = {}, env: NodeJS.ProcessEnv = process.env): Promise<S3Credentials> {
  const profile = opts.profile ?? env.AWS_PROFILE ?? 'default';
  if (opts.file) return fromFile(opts.file, profile);
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    return new S3Credentials(env.AWS_ACCESS_KEY_ID, env.AWS_SECRET_ACCESS_KEY, '$AWS_SECRET_ACCESS_KEY', env.AWS_SESSION_TOKEN);
  }
  if (env.AWS_ACCESS_KEY_ID || env.AWS_SECRET_ACCESS_KEY) {
    throw new StoreConfigError('set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither');
  }
  const file = env.AWS_SHARED_CREDENTIALS_FILE ?? join(env.HOME ?? homedir(), '.aws', 'credentials');
  if (env.AWS_SHARED_CREDENTIALS_FILE || existsSync(file)) return fromFile(file, profile);
  throw new StoreConfigError(
    'no S3 credentials: configure a credentials file (mode 0600) or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
  );
}

async function fromFile(file: string, profile: string): Promise<S3Credentials> {
  const sections = parseIni((await readSecretFile(file, 'credentials file')).toString('utf8'));
  const s = sections.get(profile) ?? sections.get(`profile ${profile}`);
  const where = `${file} [${profile}]`;
  if (!s) throw new StoreConfigError(`${file}: no [${profile}] section`);
  const id = s.get('aws_access_key_id');
  const secret = s.get('aws_secret_access_key');
  if (!id || !secret) throw new StoreConfigError(`${where}: needs aws_access_key_id and aws_secret_access_key`);
  return new S3Credentials(id, secret, where, s.get('aws_session_token'));
}

// Why: the AWS shared-credentials format is a tiny INI dialect: [section], key = value, ;/# comments.
export function parseIni(text: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (section?.[1]) {
      current = out.get(section[1]) ?? new Map();
      out.set(section[1], current);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0 && current) current.set(line.slice(0, eq).trim().toLowerCase(), line.slice(eq + 1).trim());
  }
  return out;
}
