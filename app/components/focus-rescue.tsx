import { useEffect } from "react";

/**
 * Where focus goes when the focused element disappears (its form's result replaced it, the spotlight
 * moved, the next position came): the page's error, else its status message, else an element marked
 * `data-focus-rescue` (the new position, the new spotlight), else the page's <h1>. Without this, focus
 * falls back to <body> and a keyboard or screen reader user starts again from the top of the page.
 *
 * Only acts when focus really was lost: the element that had it is no longer in the document and nothing
 * else took it. Browser-only (an effect); renders nothing.
 */
const TARGETS = ["main [role=alert]", "main [role=status]", "main [data-focus-rescue]", "main h1"];

export function FocusRescue() {
  useEffect(() => {
    let focused: Element | null = null;
    let scheduled = false;
    // Keyboard users get the outline and the scroll; after a mouse or touch press the focus moves quietly.
    let keyboard = false;

    const rescue = () => {
      scheduled = false;
      const active = document.activeElement;
      if (!focused || focused.isConnected || (active && active !== document.body)) return;
      focused = null;
      for (const selector of TARGETS) {
        const target = document.querySelector<HTMLElement>(selector);
        if (!target) continue;
        if (!target.hasAttribute("tabindex") && !target.matches("a[href], button, input, select, textarea, summary")) {
          target.setAttribute("tabindex", "-1");
        }
        if (keyboard) {
          target.classList.add("focus-rescued");
          target.addEventListener("blur", () => target.classList.remove("focus-rescued"), { once: true });
        }
        target.focus({ preventScroll: !keyboard });
        return;
      }
    };
    const onFocusIn = (event: FocusEvent) => {
      focused = event.target instanceof Element ? event.target : null;
    };
    const observer = new MutationObserver(() => {
      if (!scheduled && focused && !focused.isConnected) {
        scheduled = true;
        // After the render that removed it has finished (React may move focus itself meanwhile).
        requestAnimationFrame(rescue);
      }
    });
    const onKey = () => {
      keyboard = true;
    };
    const onPointer = () => {
      keyboard = false;
    };
    document.addEventListener("focusin", onFocusIn);
    document.addEventListener("keydown", onKey, true);
    document.addEventListener("pointerdown", onPointer, true);
    observer.observe(document.body, { childList: true, subtree: true });
    return () => {
      document.removeEventListener("focusin", onFocusIn);
      document.removeEventListener("keydown", onKey, true);
      document.removeEventListener("pointerdown", onPointer, true);
      observer.disconnect();
    };
  }, []);
  return null;
}
