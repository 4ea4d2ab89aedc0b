/** The Electron binary's path, when it is installed; never triggers a download. */
export function electronBinary(): string | undefined;
