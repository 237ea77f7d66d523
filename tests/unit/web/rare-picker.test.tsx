// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { useState } from "preact/hooks";
import { afterEach, describe, expect, it, vi } from "vitest";
import { NameField } from "../../../server/web/common/name-field";
import {
  codePointLabel,
  groupRadicals,
  insertAtCaret,
  sourceFromIndex,
} from "../../../server/web/common/rare-data";
import { RarePicker } from "../../../server/web/common/rare-picker";
import { characters, RARE_INDEX, type RareIndex, radicals } from "../../../shared/rare";

afterEach(cleanup);

describe("the radical table", () => {
  const groups = groupRadicals(radicals(RARE_INDEX));

  it("groups the radicals by their own stroke count, ascending", () => {
    expect(groups.map((g) => g.strokes)).toEqual([...groups.map((g) => g.strokes)].sort((a, b) => a - b));
    expect(groups[0]?.radicals.map((r) => r.char)).toEqual(["一", "丨", "丶", "丿", "乙", "亅"]);
    expect(groups.flatMap((g) => g.radicals)).toHaveLength(RARE_INDEX.radicals.length);
  });

  it("shows a variant with its own strokes and its Kangxi form beside it", () => {
    const three = groups.find((g) => g.strokes === 3)?.radicals ?? [];
    expect(three.find((r) => r.key === "120'")).toMatchObject({ char: "纟", kangxi: "糸", variant: true });
    expect(three.find((r) => r.key === "30")).toMatchObject({ char: "口" });
    expect(three.find((r) => r.key === "30")?.kangxi).toBeUndefined();
  });

  it("keeps Kangxi order within a group, a variant after the radicals numbered before it", () => {
    const keys = (groups.find((g) => g.strokes === 4)?.radicals ?? []).map((r) => Number.parseInt(r.key, 10));
    expect(keys).toEqual([...keys].sort((a, b) => a - b));
  });
});

describe("putting a character in at the caret", () => {
  it.each([
    ["at the end when nothing is known", "张三", null, null, "张三𠀀", 4],
    ["at the caret", "张三", 1, 1, "张𠀀三", 3],
    ["over a selection", "张三丰", 1, 2, "张𠀀丰", 3],
    ["at the start", "三", 0, 0, "𠀀三", 2],
    ["clamped when the caret is past the end", "三", 9, 9, "三𠀀", 3],
  ])("%s", (_what, value, start, end, expected, caret) => {
    expect(insertAtCaret(value, start, end, "𠀀")).toEqual({ value: expected, caret });
  });

  it("labels a character by its code point", () => {
    expect(codePointLabel("𠀀")).toBe("U+20000");
    expect(codePointLabel("丁")).toBe("U+4E01");
  });
});

// A small index: radical 一 and its variant-free neighbour 丨, enough to walk the picker.
const SMALL: RareIndex = {
  source: "test",
  radicals: [
    ["1", "一", 1],
    ["2", "丨", 1],
    ["120'", "纟", 3],
    ["120", "糸", 6],
  ],
  cells: { "1": { "1": "丁𠀀", "2": "七" }, "2": { "3": "中" }, "120'": { "3": "红" } },
};
const loadSmall = () => Promise.resolve(sourceFromIndex(SMALL));

describe("the picker", () => {
  it("walks radical → stroke count → character → 确定", async () => {
    const onPick = vi.fn();
    render(<RarePicker onPick={onPick} onClose={() => {}} loadIndex={loadSmall} />);
    fireEvent.click(await screen.findByTitle("一部"));
    expect((await screen.findByRole("option", { name: "1画" })).getAttribute("aria-selected")).toBe("true");
    expect(screen.getAllByRole("option").map((o) => o.textContent)).toEqual(["1画", "2画", "丁", "𠀀"]);
    const ok = screen.getByRole("button", { name: "确定" }) as HTMLButtonElement;
    expect(ok.disabled).toBe(true);
    fireEvent.click(screen.getByTitle("U+20000"));
    expect(ok.disabled).toBe(false);
    fireEvent.click(ok);
    expect(onPick).toHaveBeenCalledWith("𠀀");
  });

  it("lets the person choose another stroke count and another radical", async () => {
    render(<RarePicker onPick={() => {}} onClose={() => {}} loadIndex={loadSmall} />);
    fireEvent.click(await screen.findByTitle("一部"));
    fireEvent.click(await screen.findByRole("option", { name: "2画" }));
    expect(screen.getByTitle("U+4E03").textContent).toBe("七");
    fireEvent.click(screen.getByRole("button", { name: "重选部首" }));
    fireEvent.click(screen.getByTitle("纟（糸部）"));
    expect((await screen.findByTitle("U+7EA2")).textContent).toBe("红");
  });

  it("says the counts leave out the radical, and regroups by total strokes on 总笔画数", async () => {
    render(<RarePicker onPick={() => {}} onClose={() => {}} loadIndex={loadSmall} />);
    fireEvent.click(await screen.findByTitle("一部"));
    const residual = screen.getByRole("button", { name: "除部首外笔画数" });
    expect(residual.getAttribute("aria-pressed")).toBe("true");
    expect((await screen.findByRole("listbox", { name: "除部首外笔画数" })).textContent).toBe("1画2画");
    fireEvent.click(screen.getByRole("button", { name: "总笔画数" }));
    // 一 has one stroke of its own: 丁 and 𠀀 (1 + 1) are under 2画, 七 (2 + 1) under 3画.
    expect(screen.getByRole("listbox", { name: "总笔画数" }).textContent).toBe("2画3画");
    expect(screen.getByRole("listbox", { name: "生僻字" }).textContent).toBe("丁𠀀");
    fireEvent.click(screen.getByRole("option", { name: "3画" }));
    expect(screen.getByRole("listbox", { name: "生僻字" }).textContent).toBe("七");
  });

  it("says so while loading and when loading fails", async () => {
    render(
      <RarePicker
        onPick={() => {}}
        onClose={() => {}}
        loadIndex={() => Promise.reject(new Error("offline"))}
      />,
    );
    expect(screen.getByRole("status").textContent).toBe("正在加载生僻字库…");
    await waitFor(() =>
      expect(screen.getByRole("status").textContent).toBe("生僻字库加载失败，请关闭后重试"),
    );
  });

  it("closes on Escape and on 取消", async () => {
    const onClose = vi.fn();
    render(<RarePicker onPick={() => {}} onClose={onClose} loadIndex={loadSmall} />);
    fireEvent.keyDown(document.body, { key: "Escape" });
    fireEvent.click(screen.getByRole("button", { name: "取消" }));
    expect(onClose).toHaveBeenCalledTimes(2);
  });

  it("finds characters in the real index as the shared lookup does", () => {
    expect(characters(RARE_INDEX, "1", 1)).toContain("𠀀");
  });
});

function Form() {
  const [name, setName] = useState("");
  return <NameField id="n" value={name} onValue={setName} loadIndex={loadSmall} />;
}

describe("the name field", () => {
  it("puts the picked character where the caret was and moves the caret after it", async () => {
    render(<Form />);
    const input = screen.getByLabelText("姓名") as HTMLInputElement;
    fireEvent.input(input, { target: { value: "张三" } });
    input.setSelectionRange(1, 1);
    fireEvent.select(input);
    fireEvent.click(screen.getByRole("button", { name: "录入生僻字" }));
    fireEvent.click(await screen.findByTitle("一部"));
    fireEvent.click(await screen.findByTitle("U+20000"));
    fireEvent.click(screen.getByRole("button", { name: "确定" }));
    await waitFor(() => expect(input.value).toBe("张𠀀三"));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(input.selectionStart).toBe(3);
  });
});
