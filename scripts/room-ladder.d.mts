export declare const LADDER: string[][]
export declare const SHELLS: string[]
export declare const ELECTRON_FOLDERS: string[]
export declare const SHARED_PACKAGES: string[]
export declare const ROOT: string
export declare const ROOM_ORDER: string[]
export declare function mayImport(from: string, to: string): boolean
export declare function roomOf(file: string): string | null
export declare function resolveSpecifier(
  from: string,
  specifier: string,
): { file?: string; builtin?: string; package?: string; unknown?: string }
export declare function importProblems(from: string, specifier: string): string[]
