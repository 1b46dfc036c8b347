import { isSelfOrDescendant } from '../dataset-name.js';

// The destination dataset for a source dataset: the source root *prefix* replaced by the
// destination root. pyznap used str.replace on the whole name, so source `tank` with a child
// `tank/mytank` landed in `backup/mybackup` (every occurrence replaced).
export function destNameFor(sourceDataset: string, sourceRoot: string, destRoot: string): string {
  if (!isSelfOrDescendant(sourceDataset, sourceRoot)) {
    throw new Error(`internal: ${sourceDataset} is not under ${sourceRoot}`);
  }
  return destRoot + sourceDataset.slice(sourceRoot.length);
}
