export declare function electronVersion(root: string): string
export declare function nativeBindingPath(root: string, electronVersion: string): string
