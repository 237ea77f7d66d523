import { useEffect, useMemo, useState } from "preact/hooks";
import { radicals } from "../../../shared/rare/lookup";
import { familyWithFallback, registerFaces } from "./glyph-faces";
import {
  codePointLabel,
  countsOf,
  groupRadicals,
  loadRareSource,
  type RareRadical,
  type RareSource,
} from "./rare-data";

// seed 2.1: 「录入生僻字」 — "选择生僻字偏旁部首，根据生僻字笔画数选择左侧笔画数选框，查找对应生僻字后点击【确定】".
// Step 1 picks the radical; step 2 shows the stroke counts in a left column and the characters of the
// chosen count beside it. Counts are without the radical (as the index is ordered) or, for a person who
// counts the whole character, total strokes. Every cell is drawn with a font shipped for its page.

export interface RarePickerProps {
  /** Called with one character (one code point, maybe two UTF-16 units) when the person presses 确定. */
  onPick(char: string): void;
  onClose(): void;
  /** Where the data comes from; the default loads the lazy chunk. Tests pass a small one. */
  loadIndex?: () => Promise<RareSource>;
}

type Mode = "residual" | "total";
const MODE_LABEL: Record<Mode, string> = { residual: "除部首外笔画数", total: "总笔画数" };
const RADICAL_FAMILY = "rare-radicals";
const familyOf = (radical: string) => `rare-r${radical.replace(/'/g, "v")}`;

export function RarePicker({ onPick, onClose, loadIndex = loadRareSource }: RarePickerProps) {
  const [source, setSource] = useState<RareSource | null>(null);
  const [failed, setFailed] = useState(false);
  const [radical, setRadical] = useState<string | null>(null);
  const [data, setData] = useState<RareRadical | null>(null);
  const [dataFailed, setDataFailed] = useState(false);
  const [mode, setMode] = useState<Mode>("residual");
  const [strokes, setStrokes] = useState<number | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    loadIndex().then(
      (s) => {
        if (!live) return;
        registerFaces(RADICAL_FAMILY, s.radicalFaces);
        setSource(s);
      },
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [loadIndex]);

  useEffect(() => {
    if (!source || !radical) return;
    let live = true;
    setData(null);
    setDataFailed(false);
    source.loadRadical(radical).then(
      (d) => {
        if (!live) return;
        registerFaces(familyOf(radical), d.faces);
        setData(d);
      },
      () => live && setDataFailed(true),
    );
    return () => {
      live = false;
    };
  }, [source, radical]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);

  const groups = useMemo(
    () => (source ? groupRadicals(radicals({ source: "", radicals: source.radicals, cells: {} })) : []),
    [source],
  );
  const pages = data ? data[mode] : {};
  const counts = useMemo(() => countsOf(pages), [pages]);
  const shownStrokes = strokes ?? counts[0] ?? null;
  const chars = shownStrokes !== null ? [...(pages[String(shownStrokes)] ?? "")] : [];
  const radicalEntry = groups.flatMap((g) => g.radicals).find((r) => r.key === radical);
  const radicalFont = { fontFamily: familyWithFallback(RADICAL_FAMILY) };
  const charFont = radical ? { fontFamily: familyWithFallback(familyOf(radical)) } : undefined;

  const chooseRadical = (key: string | null) => {
    setRadical(key);
    setStrokes(null);
    setChosen(null);
  };
  const chooseMode = (m: Mode) => {
    setMode(m);
    setStrokes(null);
    setChosen(null);
  };
  const confirm = () => chosen && onPick(chosen);

  return (
    <div class="overlay">
      {/* A tap beside the sheet closes it, as on a phone; keyboards have Escape and 取消. */}
      <button type="button" class="overlay-backdrop" tabIndex={-1} aria-label="关闭" onClick={onClose} />
      <div class="rare-picker" role="dialog" aria-modal="true" aria-label="录入生僻字">
        <header class="rare-head">
          <h2>录入生僻字</h2>
          <button type="button" class="icon-button" aria-label="关闭" onClick={onClose}>
            ×
          </button>
        </header>

        {!source && (
          <p class="rare-status" role="status">
            {failed ? "生僻字库加载失败，请关闭后重试" : "正在加载生僻字库…"}
          </p>
        )}

        {source && !radical && (
          <div class="rare-body">
            <p class="rare-step">第一步：选择生僻字的偏旁部首</p>
            <div class="rare-radicals">
              {groups.map((g) => (
                <section key={g.strokes} class="rare-group" aria-label={`${g.strokes}画部首`}>
                  <h3>{g.strokes}画</h3>
                  <div class="rare-grid">
                    {g.radicals.map((r) => (
                      <button
                        type="button"
                        key={r.key}
                        class="rare-radical rare-char"
                        style={radicalFont}
                        data-radical={r.key}
                        title={r.kangxi ? `${r.char}（${r.kangxi}部）` : `${r.char}部`}
                        onClick={() => chooseRadical(r.key)}
                      >
                        {r.char}
                        {r.kangxi && <small>{r.kangxi}</small>}
                      </button>
                    ))}
                  </div>
                </section>
              ))}
            </div>
          </div>
        )}

        {source && radical && (
          <div class="rare-body">
            <p class="rare-step">
              第二步：部首
              <span class="rare-char rare-current" style={radicalFont}>
                {radicalEntry?.char}
              </span>
              {radicalEntry?.kangxi && (
                <span class="rare-char" style={radicalFont}>
                  （{radicalEntry.kangxi}）
                </span>
              )}
              ，选择左侧笔画数，再点选生僻字
              <button type="button" class="link-button" onClick={() => chooseRadical(null)}>
                重选部首
              </button>
            </p>
            <fieldset class="rare-modes" aria-label="笔画数的算法">
              {(["residual", "total"] as const).map((m) => (
                <button
                  type="button"
                  key={m}
                  class="rare-mode"
                  aria-pressed={m === mode}
                  onClick={() => chooseMode(m)}
                >
                  {MODE_LABEL[m]}
                </button>
              ))}
              <span class="muted small">
                {mode === "residual" ? "不含部首本身的笔画" : "整个字的笔画，含部首"}
              </span>
            </fieldset>
            {!data && (
              <p class="rare-status" role="status">
                {dataFailed ? "生僻字库加载失败，请关闭后重试" : "正在加载生僻字库…"}
              </p>
            )}
            {data && (
              <div class="rare-split">
                <div class="rare-strokes" role="listbox" aria-label={MODE_LABEL[mode]}>
                  {counts.map((n) => (
                    <button
                      type="button"
                      role="option"
                      key={n}
                      aria-selected={n === shownStrokes}
                      data-strokes={n}
                      onClick={() => {
                        setStrokes(n);
                        setChosen(null);
                      }}
                    >
                      {n}画
                    </button>
                  ))}
                </div>
                <div class="rare-chars" role="listbox" aria-label="生僻字" style={charFont}>
                  {chars.map((ch) => (
                    <button
                      type="button"
                      role="option"
                      key={ch}
                      class="rare-char"
                      style={charFont}
                      aria-selected={ch === chosen}
                      title={codePointLabel(ch)}
                      onClick={() => setChosen(ch)}
                      onDblClick={() => onPick(ch)}
                    >
                      {ch}
                    </button>
                  ))}
                </div>
              </div>
            )}
          </div>
        )}

        <footer class="rare-foot">
          <span class="rare-chosen">
            {chosen && (
              <>
                已选：
                <span class="rare-char" style={charFont}>
                  {chosen}
                </span>{" "}
                <small>{codePointLabel(chosen)}</small>
              </>
            )}
          </span>
          <button type="button" class="button" onClick={onClose}>
            取消
          </button>
          <button type="button" class="button primary" disabled={!chosen} onClick={confirm}>
            确定
          </button>
        </footer>
      </div>
    </div>
  );
}
