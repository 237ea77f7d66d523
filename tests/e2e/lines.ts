import type { Page } from "playwright-core";

// What a person sees of wrapped text and of a drawn glyph, measured in the page.

/** The text of an element as the screen draws it, one string a line. */
export function linesOf(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).evaluate((el) => {
    const lines: { top: number; text: string }[] = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? "";
      for (let i = 0; i < text.length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getBoundingClientRect();
        if (rect.width === 0 && rect.height === 0) continue; // white space folded away
        const top = Math.round(rect.top);
        const last = lines.at(-1);
        if (last && Math.abs(last.top - top) < 4) last.text += text[i];
        else lines.push({ top, text: text[i] ?? "" });
      }
    }
    return lines.map((l) => l.text);
  });
}

/** How far the centre of an element's text sits from the centre of its box, and whether it spills out. */
export function textOffset(
  page: Page,
  selector: string,
): Promise<{ dx: number; dy: number; spills: boolean }> {
  return page.locator(selector).evaluate((el) => {
    const box = el.getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(el);
    const text = range.getBoundingClientRect();
    return {
      dx: text.left + text.width / 2 - (box.left + box.width / 2),
      dy: text.top + text.height / 2 - (box.top + box.height / 2),
      spills:
        text.left < box.left || text.right > box.right || text.top < box.top || text.bottom > box.bottom,
    };
  });
}
