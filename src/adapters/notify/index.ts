import type { NotifyPorts } from '../../app/notify/ports.js';
import { runNotifyCommand } from './command.js';
import { postJson } from './http-post.js';

// The notification ports as holdfast runs them.
export function notifyPorts(version: string): NotifyPorts {
  return {
    post: (url, body, timeoutMs) => postJson(url, body, timeoutMs, `holdfast/${version}`),
    run: runNotifyCommand,
  };
}
