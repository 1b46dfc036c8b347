import { run } from '../../adapters/exec/process.js';

// `holdfast ui --open`: the desktop's browser, as xdg-open finds it. False when there is none
// (a NAS: the printed URL is the way in).
export async function openInBrowser(url: string): Promise<boolean> {
  try {
    return (await run(['xdg-open', url], { timeoutMs: 10_000 })).exitCode === 0;
  } catch {
    return false;
  }
}
