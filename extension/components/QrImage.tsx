import { useMemo } from "preact/hooks";
import { create } from "qrcode";

/** A QR code as one SVG path (crisp at any size, no canvas), with the standard 4-module quiet zone. */
export function QrImage({ text, size = 168, label }: { text: string; size?: number; label: string }) {
  const { n, d } = useMemo(() => {
    const m = create(text, { errorCorrectionLevel: "M" }).modules;
    let path = "";
    for (let y = 0; y < m.size; y++) {
      for (let x = 0; x < m.size; x++) if (m.data[y * m.size + x]) path += `M${x + 4} ${y + 4}h1v1h-1z`;
    }
    return { n: m.size + 8, d: path };
  }, [text]);
  return (
    <svg
      class="qr-image"
      role="img"
      aria-label={label}
      data-qr={text}
      width={size}
      height={size}
      viewBox={`0 0 ${n} ${n}`}
      shape-rendering="crispEdges"
    >
      <rect width={n} height={n} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
