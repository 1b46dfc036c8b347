// Preloaded with `node --import`: appends the URL of every module the program loads (import()
// included) to the file HF_RECORD_LOADS names, through a module-loader hook.
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

if (isMainThread) register(import.meta.url, { data: process.env.HF_RECORD_LOADS });

let file;
export function initialize(data) {
  file = data;
}

export async function load(url, context, next) {
  appendFileSync(file, `${url}\n`);
  return next(url, context);
}
