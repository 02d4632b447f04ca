// The highlights' drawing surface: one element of ours over the page, its contents in a closed shadow root attached by
// the injected script (the isolated world). Page scripts see that the element exists, never what it holds: no verdict
// lands on the page's own elements as an attribute, a class or a style, and nothing changes the page's layout.

/** The state of the overlay, kept on the isolated world's global: each injection of the script finds the same one. */
interface OverlayState {
  host: HTMLElement;
  root: ShadowRoot;
  /** One box per marked link, drawn over it; its class names the verdict, inside the closed root only. */
  boxes: Map<Element, HTMLElement>;
  flashes: Map<Element, HTMLElement>;
  timer: ReturnType<typeof setInterval>;
  frame: number | null;
  onMove: () => void;
}

const STATE_KEY = '__linkpulseOverlay';
type Global = { [STATE_KEY]?: OverlayState };

/** A fixed layer the size of the viewport: it takes no clicks and adds nothing to the page's scrollable size. */
const HOST_STYLE = [
  'all: initial',
  'position: fixed',
  'inset: 0',
  'width: 100vw',
  'height: 100vh',
  'overflow: hidden',
  'pointer-events: none',
  'z-index: 2147483647',
  'contain: strict',
  'display: block',
]
  .map((rule) => `${rule} !important`)
  .join('; ');

function sheet(colors: Record<string, string>): string {
  const verdicts = Object.entries(colors)
    .map(([verdict, color]) => `.v-${verdict} { outline: 2px solid ${color}; }`)
    .join('\n');
  return `.box { position: absolute; outline-offset: 1px; border-radius: 2px; }
.flash { box-shadow: 0 0 0 4px #ffb300, 0 0 12px 4px #ffb300; }
${verdicts}`;
}

function state(): OverlayState | undefined {
  return (globalThis as Global)[STATE_KEY];
}

/** Moves every box over its link (after a scroll, a resize or a change of layout); hides the boxes of links not shown. */
function layout(overlay: OverlayState): void {
  overlay.frame = null;
  const width = window.innerWidth;
  const height = window.innerHeight;
  for (const boxes of [overlay.boxes, overlay.flashes]) {
    for (const [el, box] of boxes) {
      const rect = el.isConnected ? el.getBoundingClientRect() : null;
      const shown =
        rect !== null &&
        (rect.width > 0 || rect.height > 0) &&
        rect.bottom >= 0 &&
        rect.right >= 0 &&
        rect.top <= height &&
        rect.left <= width;
      box.style.display = shown ? 'block' : 'none';
      if (!shown || !rect) continue;
      box.style.left = `${rect.left}px`;
      box.style.top = `${rect.top}px`;
      box.style.width = `${rect.width}px`;
      box.style.height = `${rect.height}px`;
    }
  }
}

function open(colors: Record<string, string>): OverlayState {
  const existing = state();
  if (existing?.host.isConnected) return existing;
  if (existing) close(existing);
  // The root is attached before the element joins the page: no page script can reach the element first.
  const host = document.createElement('div');
  const root = host.attachShadow({ mode: 'closed' });
  host.setAttribute('style', HOST_STYLE);
  const style = document.createElement('style');
  style.textContent = sheet(colors);
  root.append(style);
  const overlay: OverlayState = {
    host,
    root,
    boxes: new Map(),
    flashes: new Map(),
    frame: null,
    // Layout can change without a scroll (images loading, a menu opening): look again twice a second.
    timer: setInterval(() => layout(overlay), 500),
    onMove: () => {
      overlay.frame ??= requestAnimationFrame(() => layout(overlay));
    },
  };
  // Capture: a scroll inside any scrolling element of the page moves its links too.
  window.addEventListener('scroll', overlay.onMove, { capture: true, passive: true });
  window.addEventListener('resize', overlay.onMove, { passive: true });
  document.documentElement.append(host);
  (globalThis as Global)[STATE_KEY] = overlay;
  return overlay;
}

function close(overlay: OverlayState): void {
  clearInterval(overlay.timer);
  if (overlay.frame !== null) cancelAnimationFrame(overlay.frame);
  window.removeEventListener('scroll', overlay.onMove, { capture: true });
  window.removeEventListener('resize', overlay.onMove);
  overlay.host.remove();
  delete (globalThis as Global)[STATE_KEY];
}

/** Closes the overlay once it has nothing left to show. */
function closeIfEmpty(): void {
  const overlay = state();
  if (overlay && overlay.boxes.size === 0 && overlay.flashes.size === 0) close(overlay);
}

/** Draws one box per link in its verdict's colour, replacing the previous marks; an empty list removes them all. */
export function drawMarks(marks: [el: Element, verdict: string][], colors: Record<string, string>): number {
  const current = state();
  if (current) {
    for (const box of current.boxes.values()) box.remove();
    current.boxes.clear();
  }
  if (marks.length === 0) {
    closeIfEmpty();
    return 0;
  }
  const overlay = open(colors);
  for (const [el, verdict] of marks) {
    if (overlay.boxes.has(el)) continue;
    const box = document.createElement('div');
    box.className = `box v-${verdict}`;
    overlay.root.append(box);
    overlay.boxes.set(el, box);
  }
  layout(overlay);
  return overlay.boxes.size;
}

/** Flashes a box over each of these links for a moment. */
export function drawFlash(links: Element[], colors: Record<string, string>, ms: number): void {
  const overlay = open(colors);
  for (const el of links) {
    overlay.flashes.get(el)?.remove();
    const box = document.createElement('div');
    box.className = 'box flash';
    overlay.root.append(box);
    overlay.flashes.set(el, box);
    setTimeout(() => {
      if (overlay.flashes.get(el) !== box) return;
      box.remove();
      overlay.flashes.delete(el);
      closeIfEmpty();
    }, ms);
  }
  layout(overlay);
}

/** How many links are marked now. */
export function markCount(): number {
  return state()?.boxes.size ?? 0;
}
