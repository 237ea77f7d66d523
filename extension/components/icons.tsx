// Small inline icons (no icon font, nothing fetched).

/** A one-path icon on the 24×24 grid, in the text's colour. */
function Glyph({ size, d }: { size: number; d: string }) {
  return (
    <svg viewBox="0 0 24 24" width={size} height={size} aria-hidden="true">
      <path fill="currentColor" d={d} />
    </svg>
  );
}

const QR =
  "M3 3h8v8H3zm2 2v4h4V5zm8-2h8v8h-8zm2 2v4h4V5zM3 13h8v8H3zm2 2v4h4v-4zm8-2h2v2h-2zm2 2h2v2h-2zm-2 2h2v2h-2zm4 0h2v2h-2zm2-4h2v2h-2zm0 6h2v2h-2zm-4 0h2v2h-2zm2-2h2v2h-2z";
const PC = "M3 4h18v12H3zm2 2v8h14V6zm3 12h8v2H8z";
const KEYBOARD =
  "M2 6h20v12H2zm2 2v8h16V8zm1 1h2v2H5zm3 0h2v2H8zm3 0h2v2h-2zm3 0h2v2h-2zm3 0h2v2h-2zM5 12h2v2H5zm3 0h8v2H8zm9 0h2v2h-2z";

export const QrIcon = () => <Glyph size={22} d={QR} />;
export const PcIcon = () => <Glyph size={22} d={PC} />;
export const KeyboardIcon = () => <Glyph size={20} d={KEYBOARD} />;

export function CheckIcon() {
  return (
    <svg viewBox="0 0 24 24" width="40" height="40" aria-hidden="true">
      <circle cx="12" cy="12" r="11" fill="#19a15f" />
      <path fill="none" stroke="#fff" stroke-width="2.4" d="M6.5 12.5l3.5 3.5 7.5-8" />
    </svg>
  );
}

export function Emblem() {
  return (
    <svg viewBox="0 0 32 32" width="30" height="30" aria-hidden="true">
      <circle cx="16" cy="16" r="15" fill="#fff" opacity="0.18" />
      <circle cx="16" cy="16" r="11.5" fill="none" stroke="#ffd36b" stroke-width="1.6" />
      <text x="16" y="21" text-anchor="middle" font-size="13" font-weight="700" fill="#ffd36b">
        税
      </text>
    </svg>
  );
}
