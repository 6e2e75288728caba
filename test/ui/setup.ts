import { afterEach, vi } from "vitest";
import { cleanup } from "@testing-library/react";

// React Testing Library: unmount after every test (vitest has no auto-cleanup without globals).
afterEach(() => {
  cleanup();
});

// jsdom lacks matchMedia (MUI's useMediaQuery), ResizeObserver (x-charts) and a few layout APIs.
if (!window.matchMedia) {
  Object.defineProperty(window, "matchMedia", {
    writable: true,
    value: (query: string) => ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => {},
      removeListener: () => {},
      addEventListener: () => {},
      removeEventListener: () => {},
      dispatchEvent: () => false,
    }),
  });
}

if (!("ResizeObserver" in globalThis)) {
  class ResizeObserverStub {
    private cb: ResizeObserverCallback;
    constructor(cb: ResizeObserverCallback) {
      this.cb = cb;
    }
    observe(target: Element) {
      // Report a fixed size so charts lay out in jsdom.
      this.cb([{ target, contentRect: { width: 320, height: 150 } } as unknown as ResizeObserverEntry], this as unknown as ResizeObserver);
    }
    unobserve() {}
    disconnect() {}
  }
  (globalThis as unknown as { ResizeObserver: unknown }).ResizeObserver = ResizeObserverStub;
}

if (!window.scrollTo || String(window.scrollTo).includes("notImplemented")) {
  window.scrollTo = vi.fn() as unknown as typeof window.scrollTo;
}

if (!URL.createObjectURL) {
  URL.createObjectURL = vi.fn(() => "blob:test");
  URL.revokeObjectURL = vi.fn();
}
