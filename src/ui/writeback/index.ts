/** The write-back UI the app shell mounts, and the readers of its launch context. Re-exports only. */
export { WriteBackContainer, type WriteBackContainerProps } from "./WriteBackContainer";
export { grantedScopesOf, relaunchHref, writeBackContext } from "./launchContext";
