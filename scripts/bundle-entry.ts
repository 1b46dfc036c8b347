// Entry of the single-file build (scripts/build-bundle.mjs): what bin/holdfast.js does.
import { main } from '../src/cli/main.js';

void main(process.argv);
