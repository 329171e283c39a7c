// The shared vocabulary and the contract, one file per area. Code imports the area it needs
// (`#shared/labeling`, `#shared/contract`); this index is for whoever wants the whole picture.
export * from './vocabulary'
export * from './system'
export * from './projects'
export * from './imports'
export * from './labeling'
export * from './features'
export * from './runs'
export * from './review'
export * from './label-check'
export * from './exports'
export * from './predictions'
export * from './contract'
