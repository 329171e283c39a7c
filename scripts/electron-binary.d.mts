/** The Electron executable, or null when it was never downloaded. */
export declare function findElectronBinary(env?: NodeJS.ProcessEnv): string | null
