import data from "./index.generated.json";
import type { RareIndex } from "./lookup";

export * from "./lookup";

/** Built by scripts/build-rare-index.ts from Unihan; regenerate rather than edit. */
export const RARE_INDEX = data as unknown as RareIndex;
