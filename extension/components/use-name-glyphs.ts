import { useEffect } from "preact/hooks";
import { nameGlyphSlices } from "../../shared/rare/name-slices";
import { sendMessage } from "../messaging";

// A person's name may hold characters a PC has no font for (CJK Ext B–H: 𫖮…). The popup cannot ship
// the glyphs of them all, so it asks the hub (through the worker) for the font files of the slices the
// name needs — the same files the phone pages draw names with — and adds them under the family the
// popup's font stack ends with. Until they come, or without them, the system's fonts draw the name.

/** The family style.css lists last before sans-serif. */
export const NAME_FAMILY = "ShimingRare";

const added = new Set<string>();

/** Makes the rare characters of `text` draw in this popup. */
export function useNameGlyphs(text: string): void {
  const slices = nameGlyphSlices(text).join(",");
  useEffect(() => {
    if (slices === "" || typeof FontFace === "undefined") return;
    sendMessage("nameGlyphs", slices.split(",").map(Number)).then(
      (faces) => {
        for (const [url, unicodeRange] of faces) {
          if (added.has(url)) continue;
          added.add(url);
          document.fonts.add(
            new FontFace(NAME_FAMILY, `url("${url}") format("woff2")`, { unicodeRange, display: "block" }),
          );
        }
      },
      () => {}, // the worker is restarting: the system's fonts draw the name
    );
  }, [slices]);
}
