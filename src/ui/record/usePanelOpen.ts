import { useCallback, useSyncExternalStore } from "react";

/**
 * Which panels the reader has collapsed, kept for the browser session (sessionStorage holds UI
 * state only: panel ids, never patient data). Every panel starts open.
 */
const KEY = "calcinosis.ui.collapsed";
const listeners = new Set<() => void>();

function read(): string {
  try {
    return window.sessionStorage.getItem(KEY) ?? "";
  } catch {
    return ""; // storage blocked (privacy mode, sandboxed iframe): panels simply start open
  }
}

function collapsedIds(): Set<string> {
  return new Set(read().split(",").filter(Boolean));
}

function write(ids: Set<string>): void {
  try {
    window.sessionStorage.setItem(KEY, [...ids].sort().join(","));
  } catch {
    // Not kept across reloads then; the toggle still works for this page.
  }
  for (const l of listeners) l();
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** Opens a panel (e.g. before jumping to it from a link); no-op when it is open. */
export function openPanel(id: string): void {
  const ids = collapsedIds();
  if (ids.delete(id)) write(ids);
}

export function usePanelOpen(id: string): [boolean, () => void] {
  const snapshot = useSyncExternalStore(subscribe, read, () => "");
  const open = !snapshot.split(",").includes(id);
  const toggle = useCallback(() => {
    const ids = collapsedIds();
    if (!ids.delete(id)) ids.add(id);
    write(ids);
  }, [id]);
  return [open, toggle];
}
