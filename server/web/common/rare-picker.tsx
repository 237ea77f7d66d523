import { useEffect, useMemo, useState } from "preact/hooks";
import { characters, type RareIndex, radicals, strokeCounts } from "../../../shared/rare/lookup";
import { codePointLabel, groupRadicals, loadRareIndex } from "./rare-data";

// seed 2.1: 「录入生僻字」 — "选择生僻字偏旁部首，根据生僻字笔画数选择左侧笔画数选框，查找对应生僻字后点击【确定】".
// Step 1 picks the radical; step 2 shows the residual stroke counts in a left column and the characters
// of the chosen count beside it.

export interface RarePickerProps {
  /** Called with one character (one code point, maybe two UTF-16 units) when the person presses 确定. */
  onPick(char: string): void;
  onClose(): void;
  /** Where the index comes from; the default loads the lazy chunk. Tests pass a small one. */
  loadIndex?: () => Promise<RareIndex>;
}

export function RarePicker({ onPick, onClose, loadIndex = loadRareIndex }: RarePickerProps) {
  const [index, setIndex] = useState<RareIndex | null>(null);
  const [failed, setFailed] = useState(false);
  const [radical, setRadical] = useState<string | null>(null);
  const [strokes, setStrokes] = useState<number | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    loadIndex().then(
      (i) => live && setIndex(i),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [loadIndex]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);

  const groups = useMemo(() => (index ? groupRadicals(radicals(index)) : []), [index]);
  const counts = useMemo(() => (index && radical ? strokeCounts(index, radical) : []), [index, radical]);
  const shownStrokes = strokes ?? counts[0] ?? null;
  const chars = index && radical && shownStrokes !== null ? characters(index, radical, shownStrokes) : [];
  const radicalEntry = groups.flatMap((g) => g.radicals).find((r) => r.key === radical);

  const chooseRadical = (key: string | null) => {
    setRadical(key);
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

        {!index && (
          <p class="rare-status" role="status">
            {failed ? "生僻字库加载失败，请关闭后重试" : "正在加载生僻字库…"}
          </p>
        )}

        {index && !radical && (
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

        {index && radical && (
          <div class="rare-body">
            <p class="rare-step">
              第二步：部首
              <span class="rare-char rare-current">{radicalEntry?.char}</span>
              {radicalEntry?.kangxi && <span class="rare-char">（{radicalEntry.kangxi}）</span>}
              ，选择左侧笔画数，再点选生僻字
              <button type="button" class="link-button" onClick={() => chooseRadical(null)}>
                重选部首
              </button>
            </p>
            <div class="rare-split">
              <div class="rare-strokes" role="listbox" aria-label="笔画数">
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
              <div class="rare-chars" role="listbox" aria-label="生僻字">
                {chars.map((ch) => (
                  <button
                    type="button"
                    role="option"
                    key={ch}
                    class="rare-char"
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
          </div>
        )}

        <footer class="rare-foot">
          <span class="rare-chosen">
            {chosen && (
              <>
                已选：<span class="rare-char">{chosen}</span> <small>{codePointLabel(chosen)}</small>
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
